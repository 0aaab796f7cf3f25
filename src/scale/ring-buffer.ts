/**
 * A bounded FIFO. Its storage doubles on demand up to the capacity (an idle user costs no slots)
 * and then it overwrites its oldest item, so appends stay amortised O(1) with no Array#shift.
 */
export class RingBuffer<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError('RingBuffer capacity must be a positive integer');
    }
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length && this.items.length < this.capacity) this.grow();
    const length = this.items.length;
    if (this.count < length) {
      this.items[(this.head + this.count) % length] = item;
      this.count++;
    } else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % length;
    }
  }

  /** The item `index` places after the oldest. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.items.length];
  }

  peek(): T | undefined {
    return this.at(0);
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  private grow(): void {
    const next: (T | undefined)[] = new Array(
      Math.min(this.capacity, Math.max(8, this.items.length * 2)),
    );
    for (let i = 0; i < this.count; i++) next[i] = this.at(i);
    this.items = next;
    this.head = 0;
  }
}
