const CHUNK_BYTES = 16 * 1024;
// Shared by every history that holds nothing yet (length 0: never written), so an idle user's
// stream costs no typed arrays of its own.
const NO_U32 = new Uint32Array(0);
const NO_F64 = new Float64Array(0);

interface Chunk {
  buffer: Buffer;
  used: number;
  /** Entries still pointing into this chunk. */
  live: number;
}

/**
 * A user's replay history: frames in chunks of off-heap memory, with their places and times in
 * typed arrays. Keeping each frame as a JS string would leave the garbage collector thousands of
 * long-lived objects per busy user to copy and promote, which showed as p99 latency spikes under
 * load; here a stream costs a few buffers and arrays, however many frames it holds.
 * Bounded by entry count and by bytes; the oldest frames go first.
 */
export class FrameHistory {
  private readonly chunks: Chunk[] = [];
  /** Index in `chunks` of chunk id 0 moves as chunks are dropped: ids are absolute. */
  private firstChunkId = 0;
  private chunkOf = NO_U32;
  private offsets = NO_U32;
  private lengths = NO_U32;
  private times = NO_F64;
  private head = 0;
  private count = 0;
  private bytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Appends a frame; `length` is its UTF-8 byte length when the caller already knows it. */
  push(frame: string, ts: number, length = Buffer.byteLength(frame)): void {
    if (this.count === this.maxEntries) this.shift();
    if (this.count === this.times.length) this.grow();
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.used + length > chunk.buffer.length) {
      chunk = { buffer: Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length)), used: 0, live: 0 };
      this.chunks.push(chunk);
    }
    chunk.buffer.write(frame, chunk.used);
    const slot = (this.head + this.count) % this.times.length;
    this.chunkOf[slot] = this.firstChunkId + this.chunks.length - 1;
    this.offsets[slot] = chunk.used;
    this.lengths[slot] = length;
    this.times[slot] = ts;
    chunk.used += length;
    chunk.live++;
    this.count++;
    this.bytes += length;
    while (this.bytes > this.maxBytes && this.count > 1) this.shift();
  }

  /** Time of the oldest frame, or undefined. */
  oldestTime(): number | undefined {
    return this.count === 0 ? undefined : this.times[this.head];
  }

  /** The frame `index` places after the oldest. */
  frameAt(index: number): string {
    const slot = (this.head + index) % this.times.length;
    const chunk = this.chunks[(this.chunkOf[slot] as number) - this.firstChunkId] as Chunk;
    const offset = this.offsets[slot] as number;
    return chunk.buffer.toString('utf8', offset, offset + (this.lengths[slot] as number));
  }

  bytesAt(index: number): number {
    return this.lengths[(this.head + index) % this.times.length] as number;
  }

  shift(): void {
    if (this.count === 0) return;
    const slot = this.head;
    const chunk = this.chunks[(this.chunkOf[slot] as number) - this.firstChunkId] as Chunk;
    chunk.live--;
    this.bytes -= this.lengths[slot] as number;
    this.head = (this.head + 1) % this.times.length;
    this.count--;
    // Drop emptied chunks from the front, but never the one being written into.
    while (this.chunks.length > 1 && (this.chunks[0] as Chunk).live === 0) {
      this.chunks.shift();
      this.firstChunkId++;
    }
    if (this.count === 0 && this.chunks.length === 1) {
      (this.chunks[0] as Chunk).used = 0;
    }
  }

  private grow(): void {
    const capacity = Math.min(this.maxEntries, Math.max(16, this.times.length * 2));
    const chunkOf = new Uint32Array(capacity);
    const offsets = new Uint32Array(capacity);
    const lengths = new Uint32Array(capacity);
    const times = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.times.length;
      chunkOf[i] = this.chunkOf[slot] as number;
      offsets[i] = this.offsets[slot] as number;
      lengths[i] = this.lengths[slot] as number;
      times[i] = this.times[slot] as number;
    }
    this.chunkOf = chunkOf;
    this.offsets = offsets;
    this.lengths = lengths;
    this.times = times;
    this.head = 0;
  }
}
