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
  /**
   * Script calls sent and not answered yet, at most. While they are, publishes gather into the
   * next call: the busier Redis is, the bigger the calls, and the fewer the fixed costs of each
   * (the incarnation check; a user's state, trim and TTLs). Two keep Redis busy while this node
   * encodes the next call and reads the last answer.
   */
  maxInFlight: 2,
} as const;

export type BatchBounds = { readonly [K in keyof typeof BATCH_DEFAULTS]: number };

const size = (item: PublishItem): number => item.head.length + item.tail.length;

/**
 * Gathers publishes and sends them as script calls of many envelopes: a round trip and one
 * incarnation check per call instead of per envelope. What is published in one tick goes out at
 * the end of the tick, unless `maxInFlight` calls are still unanswered: then it waits for an
 * answer, joined by what follows. A user's envelopes keep their order (they go in one group, in
 * publish order, and calls go out in order on one connection), and each caller gets its own
 * outcome: its envelope, or the error Redis gave for its envelope alone, or the call's error when
 * the call itself failed. Calls are bounded in envelopes and in characters. Callers are answered
 * with the finished value (`complete`): no promise per envelope beyond the caller's own.
 */
export class PublishBatcher<I extends PublishItem, T> {
  /** Per user, in the order users first published: their envelopes not sent yet, in order. */
  private readonly queue = new Map<string, Waiting<I, T>[]>();
  private count = 0;
  private chars = 0;
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly groupOf: GroupOf,
    private readonly send: SendBatch,
    private readonly answers: BatchAnswers<I, T>,
    private readonly bounds: BatchBounds = BATCH_DEFAULTS,
  ) {}

  add(userId: string, item: I): Promise<T> {
    return new Promise((resolve, reject) => {
      let waiting = this.queue.get(userId);
      if (!waiting) this.queue.set(userId, (waiting = []));
      waiting.push({ item, resolve, reject });
      this.count++;
      this.chars += size(item);
      if (this.inFlight >= this.bounds.maxInFlight) return; // goes when an answer comes back
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

  /** Sends what is queued, in calls within the bounds, as long as fewer than maxInFlight wait. */
  private flush(): void {
    while (this.count > 0 && this.inFlight < this.bounds.maxInFlight) this.sendOne();
  }

  /** Sends one call: the queued envelopes in order, users first come first, up to the bounds. */
  private sendOne(): void {
    const groups: PublishGroup[] = [];
    const waiters: Waiting<I, T>[] = [];
    let count = 0;
    let chars = 0;
    for (const [userId, waiting] of this.queue) {
      let take = 0;
      while (
        take < waiting.length &&
        (count === 0 || (count < this.bounds.maxEnvelopes && chars < this.bounds.maxChars))
      ) {
        count++;
        chars += size((waiting[take] as Waiting<I, T>).item);
        take++;
      }
      if (take === 0) break; // the call is full
      const taken = waiting.splice(0, take);
      if (waiting.length === 0) this.queue.delete(userId);
      groups.push({ ...this.groupOf(userId), items: taken.map((w) => w.item) });
      for (const waiter of taken) waiters.push(waiter);
      if (waiting.length > 0) break; // full within this user's envelopes: the rest go first next
    }
    this.count -= count;
    this.chars -= chars;
    this.inFlight++;
    this.send(groups).then(
      (outcomes) => {
        for (let i = 0; i < waiters.length; i++) {
          const waiter = waiters[i] as Waiting<I, T>;
          const outcome = outcomes[i];
          if (outcome && 'seq' in outcome)
            waiter.resolve(this.answers.complete(waiter.item, outcome));
          else waiter.reject(this.answers.refused(outcome?.error ?? 'no answer for this envelope'));
        }
        this.settled();
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
        this.settled();
      },
    );
  }

  private settled(): void {
    this.inFlight--;
    this.flush();
  }
}
