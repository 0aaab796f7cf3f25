import type WebSocket from 'ws';
import type { UserContext } from '../agents/user-context';
import type { ControlFrame } from '../protocol/envelope';
import type { ReplayedFrame, StoredEnvelope } from '../scale/delivery-adapter';
import { RateLimiter, type RateLimit, type RateVerdict } from './rate-limiter';

export interface ConnectionLimits {
  sendBudgetBytes: number;
  sendHighWaterMark: number;
  rateLimit: RateLimit | false;
}

interface QueuedFrame {
  frame: string;
  bytes: number;
  /** Set for agent_thinking: a newer frame with the same key may replace this one. */
  coalesceKey: string | undefined;
}

/** Counters the manager sums into stats(). */
export interface ConnectionCounters {
  coalesced: number;
  dropped: number;
}

/**
 * One accepted socket of one user, with its send budget.
 *
 * ws reports `bufferedAmount` 0 while the kernel buffer fills, so the budget counts bytes from
 * ws.send() until its callback. Above the high-water mark frames wait in our own queue, where
 * an agent_thinking may be replaced by the next one of the same run; above the budget the
 * connection is a slow consumer and `onSlow` closes it (the client then resumes).
 */
export class Connection {
  /** Cleared by each heartbeat ping, set by each pong. */
  alive = true;
  /** Set exactly once, when the manager releases the connection. */
  released = false;
  /** Settles once the welcome frame was sent; a resume waits for it. */
  ready: Promise<void> = Promise.resolve();
  /** Terminates a slow consumer that did not take its close frame in time. */
  closeTimer: NodeJS.Timeout | undefined;
  private inflight = 0;
  /** Byte sizes of the batches handed to ws, oldest first, until their write callbacks. */
  private readonly inflightSizes: number[] = [];
  private batch: string[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private readonly queue: QueuedFrame[] = [];
  private queuedBytes = 0;
  private held: StoredEnvelope[] | undefined;
  private slow = false;
  private readonly limiter: RateLimiter | undefined;
  private drainWaiter: (() => void) | undefined;
  private readonly onSent = (): void => {
    this.inflight -= this.inflightSizes.shift() ?? 0;
    if (this.queue.length > 0) this.drain();
    if (this.drainWaiter && this.inflight < this.limits.sendHighWaterMark) this.wake();
  };

  constructor(
    readonly id: string,
    readonly context: Readonly<UserContext>,
    readonly socket: WebSocket,
    private readonly limits: ConnectionLimits,
    private readonly counters: ConnectionCounters,
    private readonly onSlow: (connection: Connection) => void,
  ) {
    this.limiter = limits.rateLimit ? new RateLimiter(limits.rateLimit) : undefined;
  }

  get userId(): string {
    return this.context.userId;
  }

  /** A stream envelope: held while a resume or welcome is being prepared, else sent. */
  deliver(stored: StoredEnvelope): void {
    if (this.held) this.held.push(stored);
    else
      this.write(
        stored.frame,
        stored.bytes,
        stored.envelope.type === 'agent_thinking' ? (stored.envelope.runId ?? '') : undefined,
      );
  }

  /**
   * Sends a replay while live envelopes are held, paced by the send callbacks: a replay can be far
   * larger than the send budget, and it must not make its own connection a slow consumer.
   * Resolves early if the connection goes away.
   */
  async replay(frames: readonly ReplayedFrame[]): Promise<void> {
    for (const stored of frames) {
      while (this.inflight >= this.limits.sendHighWaterMark || this.queue.length > 0) {
        await new Promise<void>((resolve) => {
          this.drainWaiter = resolve;
        });
        if (this.released) return;
      }
      if (this.released || this.slow || this.socket.readyState !== 1) return;
      this.send(stored.frame, stored.bytes);
    }
  }

  /** Called by the manager on release: ends a paced replay that waits for a drain. */
  dispose(): void {
    this.wake();
  }

  control(frame: ControlFrame): void {
    const text = JSON.stringify(frame);
    this.write(text, Buffer.byteLength(text), undefined);
  }

  /** Starts holding live envelopes; false when a hold is already in progress. */
  hold(): boolean {
    if (this.held) return false;
    this.held = [];
    return true;
  }

  /** Stops holding, sending the held envelopes newer than `afterSeq` (older ones were replayed). */
  release(afterSeq: number): void {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    for (const stored of held) if (stored.envelope.seq > afterSeq) this.deliver(stored);
  }

  /** Whether one inbound message is within the rate limit (see RateVerdict). */
  admit(): RateVerdict {
    return this.limiter === undefined ? { kind: 'admit' } : this.limiter.check();
  }

  private write(frame: string, bytes: number, coalesceKey: string | undefined): void {
    if (this.slow || this.socket.readyState !== 1) {
      // Closing: the client reconnects and resumes, so this frame is not lost to it.
      this.counters.dropped++;
      return;
    }
    if (this.queue.length === 0 && this.inflight < this.limits.sendHighWaterMark) {
      this.send(frame, bytes);
      return;
    }
    const last = this.queue[this.queue.length - 1];
    if (coalesceKey !== undefined && last !== undefined && last.coalesceKey === coalesceKey) {
      // Only the newest thinking of a run is worth showing to a consumer that is behind; the
      // adjacent replacement keeps seq increasing, and a resume still replays every envelope.
      this.queuedBytes += bytes - last.bytes;
      last.frame = frame;
      last.bytes = bytes;
      this.counters.coalesced++;
    } else {
      this.queue.push({ frame, bytes, coalesceKey });
      this.queuedBytes += bytes;
    }
    if (this.inflight + this.queuedBytes > this.limits.sendBudgetBytes) {
      this.slow = true;
      this.queue.length = 0;
      this.queuedBytes = 0;
      this.onSlow(this);
    }
  }

  /**
   * Hands a frame to the current batch. A batch goes to ws once per tick with a single write
   * callback on its last frame: callbacks complete in order, so that one callback accounts for
   * the whole batch, where a callback per frame cost about a fifth of the delivery throughput.
   */
  private send(frame: string, bytes: number): void {
    this.inflight += bytes;
    this.batch.push(frame);
    this.batchBytes += bytes;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const frames = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    if (frames.length === 0) return;
    if (this.socket.readyState !== 1) {
      this.inflight -= bytes;
      this.counters.dropped += frames.length;
      return;
    }
    const last = frames.length - 1;
    for (let i = 0; i < last; i++) this.socket.send(frames[i] as string);
    this.inflightSizes.push(bytes);
    this.socket.send(frames[last] as string, this.onSent);
  };

  private wake(): void {
    const waiter = this.drainWaiter;
    this.drainWaiter = undefined;
    waiter?.();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inflight < this.limits.sendHighWaterMark && !this.slow) {
      const next = this.queue.shift() as QueuedFrame;
      this.queuedBytes -= next.bytes;
      if (this.socket.readyState !== 1) return;
      this.send(next.frame, next.bytes);
    }
  }
}
