import type { StreamPosition } from '../protocol/envelope';
import type { PublishGroup, PublishItem, PublishOutcome } from './redis-scripts';

/** What the batcher needs to know of a user besides their envelopes, read when a batch is sent. */
export type GroupOf = (userId: string) => Omit<PublishGroup, 'items'>;

/** Sends one batch; resolves with one outcome per envelope, group by group. */
export type SendBatch = (groups: readonly PublishGroup[]) => Promise<PublishOutcome[]>;

interface Waiting {
  item: PublishItem;
  resolve(position: StreamPosition): void;
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
 * each caller gets its own outcome: its position, or the error Redis gave for its envelope alone,
 * or the batch's error when the call itself failed. Batches are bounded in envelopes and in
 * characters; a tick that publishes more sends several, back to back.
 */
export class PublishBatcher {
  private queue: Map<string, Waiting[]> = new Map();
  private count = 0;
  private chars = 0;
  private scheduled = false;

  constructor(
    private readonly groupOf: GroupOf,
    private readonly send: SendBatch,
    private readonly onError: (reason: string) => Error,
    private readonly bounds: { maxEnvelopes: number; maxChars: number } = BATCH_DEFAULTS,
  ) {}

  add(userId: string, item: PublishItem): Promise<StreamPosition> {
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
    const waiters: Waiting[] = [];
    for (const [userId, waiting] of queue) {
      groups.push({ ...this.groupOf(userId), items: waiting.map((w) => w.item) });
      for (const waiter of waiting) waiters.push(waiter);
    }
    this.send(groups).then(
      (outcomes) =>
        waiters.forEach((waiter, i) => {
          const outcome = outcomes[i];
          if (outcome && 'seq' in outcome) waiter.resolve(outcome);
          else waiter.reject(this.onError(outcome?.error ?? 'no answer for this envelope'));
        }),
      (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
    );
  }
}
