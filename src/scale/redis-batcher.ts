import type { StreamPosition } from '../protocol/envelope';
import type { PublishGroup, PublishItem, PublishOutcome } from './redis-scripts';

/** What the batcher needs to know of a user besides their envelopes, read when a batch is sent. */
export type GroupOf = (userId: string) => Omit<PublishGroup, 'items'>;

/** Sends one batch; resolves with one outcome per envelope, group by group. */
export type SendBatch = (groups: readonly PublishGroup[]) => Promise<PublishOutcome[]>;

/** How the batcher answers: what a caller's envelope became, and the error of a refused one. */
export interface BatchAnswers<I, T> {
  /** The value a caller's promise resolves with, from its item and its place in the stream. */
  complete(item: I, position: StreamPosition): T;
  /** The error a caller's promise rejects with when Redis refused its envelope alone. */
  refused(reason: string): Error;
}

interface Waiting<I, T> {
  item: I;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Defaults of PublishBatcher's bounds. */
export const BATCH_DEFAULTS = {
  /** Envelopes per script call at most. */
  maxEnvelopes: 512,
  /** Characters of encoded envelopes per script call at most: a script blocks Redis while it runs. */
  maxChars: 1024 * 1024,
} as const;

/**
 * Gathers the publishes issued in one tick and sends them as one script call: a round trip and
 * one incarnation check per batch instead of per envelope. A user's envelopes keep their order
 * (they go in one group, in publish order, and batches go out in order on one connection), and
 * each caller gets its own outcome: its envelope, or the error Redis gave for its envelope alone,
 * or the batch's error when the call itself failed. Batches are bounded in envelopes and in
 * characters; a tick that publishes more sends several, back to back. Callers are answered
 * directly with the finished value (`complete`): no promise per envelope beyond the caller's own.
 */
export class PublishBatcher<I extends PublishItem, T> {
  private queue: Map<string, Waiting<I, T>[]> = new Map();
  private count = 0;
  private chars = 0;
  private scheduled = false;

  constructor(
    private readonly groupOf: GroupOf,
    private readonly send: SendBatch,
    private readonly answers: BatchAnswers<I, T>,
    private readonly bounds: { maxEnvelopes: number; maxChars: number } = BATCH_DEFAULTS,
  ) {}

  add(userId: string, item: I): Promise<T> {
    return new Promise((resolve, reject) => {
      let waiting = this.queue.get(userId);
      if (!waiting) this.queue.set(userId, (waiting = []));
      waiting.push({ item, resolve, reject });
      this.count++;
      this.chars += item.head.length + item.tail.length;
      if (this.count >= this.bounds.maxEnvelopes || this.chars >= this.bounds.maxChars)
        this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(this.flushScheduled);
      }
    });
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** Sends what is queued as one batch. */
  private flush(): void {
    if (this.count === 0) return;
    const queue = this.queue;
    this.queue = new Map();
    this.count = 0;
    this.chars = 0;
    const groups: PublishGroup[] = [];
    const waiters: Waiting<I, T>[] = [];
    for (const [userId, waiting] of queue) {
      groups.push({ ...this.groupOf(userId), items: waiting.map((w) => w.item) });
      for (const waiter of waiting) waiters.push(waiter);
    }
    this.send(groups).then(
      (outcomes) => {
        for (let i = 0; i < waiters.length; i++) {
          const waiter = waiters[i] as Waiting<I, T>;
          const outcome = outcomes[i];
          if (outcome && 'seq' in outcome)
            waiter.resolve(this.answers.complete(waiter.item, outcome));
          else waiter.reject(this.answers.refused(outcome?.error ?? 'no answer for this envelope'));
        }
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }
}
