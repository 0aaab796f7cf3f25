import type WebSocket from 'ws';
import type { StreamPosition } from '../protocol/envelope';
import type { ReplayedFrame, StoredEnvelope } from '../scale/delivery-adapter';

/** The socket under ws (a net.Socket or tls.TLSSocket), corked around a batch of frames. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface OutboxLimits {
  sendBudgetBytes: number;
  sendHighWaterMark: number;
}

/** Counters the manager sums into stats(). */
export interface OutboxCounters {
  coalesced: number;
  dropped: number;
}

interface QueuedFrame {
  frame: string;
  bytes: number;
  /** Set for agent_thinking: a newer frame with the same key may replace this one. */
  coalesceKey: string | undefined;
}

/**
 * Everything one connection keeps for its client, under one send budget: the bytes handed to ws
 * and not yet written (in flight), our queue above the high-water mark, and the live envelopes
 * held while a welcome or a resume is prepared.
 *
 * ws reports `bufferedAmount` 0 while the kernel buffer fills, so in-flight bytes are counted from
 * ws.send() until its callback. Above the high-water mark frames wait in the queue, where an
 * agent_thinking may be replaced by the next one of the same run. When in flight + queued + held
 * would pass `sendBudgetBytes`, the connection is a slow consumer: the queue and the held
 * envelopes are let go (the client resumes them) and `onOverBudget` closes it.
 */
export class Outbox {
  private inflight = 0;
  /** Byte sizes of the batches handed to ws, oldest first, until their write callbacks. */
  private readonly inflightSizes: number[] = [];
  private batch: string[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private readonly queue: QueuedFrame[] = [];
  private queuedBytes = 0;
  private held: StoredEnvelope[] | undefined;
  private heldBytes = 0;
  /** Over budget, or closed: nothing more is sent. */
  private stopped = false;
  private drainWaiter: (() => void) | undefined;
  private readonly onSent = (): void => {
    this.inflight -= this.inflightSizes.shift() ?? 0;
    if (this.queue.length > 0) this.drain();
    if (this.drainWaiter && this.inflight < this.limits.sendHighWaterMark) this.wake();
  };

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: OutboxLimits,
    private readonly counters: OutboxCounters,
    private readonly onOverBudget: () => void,
    private readonly transport?: Corkable,
  ) {}

  /** Bytes kept for the client: in flight, queued and held. Never above the budget for long. */
  get bufferedBytes(): number {
    return this.inflight + this.queuedBytes + this.heldBytes;
  }

  /** A stream envelope: held while a resume or welcome is being prepared, else sent. */
  deliver(stored: StoredEnvelope): void {
    const held = this.held;
    if (held === undefined)
      this.write(
        stored.frame,
        stored.bytes,
        stored.envelope.type === 'agent_thinking' ? (stored.envelope.runId ?? '') : undefined,
      );
    else if (this.closing()) this.counters.dropped++;
    else {
      held.push(stored);
      this.heldBytes += stored.bytes;
      this.checkBudget();
    }
  }

  /** A frame for this connection only (a control frame). */
  write(frame: string, bytes: number, coalesceKey?: string): void {
    if (this.closing()) {
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
    this.checkBudget();
  }

  /** Starts holding live envelopes; false when a hold is already in progress. */
  hold(): boolean {
    if (this.held) return false;
    this.held = [];
    return true;
  }

  /**
   * Whether a held envelope is of an epoch other than `epoch`: the stream started over while this
   * connection was being welcomed or resumed. Which epoch is the newer cannot be told from here.
   */
  holdsOtherEpoch(epoch: string): boolean {
    return this.held?.some((stored) => stored.envelope.epoch !== epoch) ?? false;
  }

  /**
   * Stops holding, sending the held envelopes after `position` (older ones were replayed, or lie
   * before the welcome), or every held envelope when no position was sent; `discard` sends none.
   */
  release(position?: StreamPosition, discard = false): void {
    const held = this.held;
    this.held = undefined;
    this.heldBytes = 0;
    if (!held || discard) return;
    for (const stored of held)
      if (position === undefined || stored.envelope.seq > position.seq) this.deliver(stored);
  }

  /**
   * Sends a replay while live envelopes are held, paced by the send callbacks: a replay can be far
   * larger than the send budget, and it must not make its own connection a slow consumer (the
   * frames still to be sent are the stream's history, not a copy kept here). Held envelopes and
   * other frames still count: a client that stops reading during a replay while live traffic
   * arrives goes over the budget. Resolves early once the outbox stops.
   */
  async replay(frames: readonly ReplayedFrame[]): Promise<void> {
    for (const stored of frames) {
      while (
        !this.stopped &&
        (this.inflight >= this.limits.sendHighWaterMark || this.queue.length > 0)
      ) {
        await new Promise<void>((resolve) => {
          this.drainWaiter = resolve;
        });
      }
      if (this.closing()) return;
      this.send(stored.frame, stored.bytes);
    }
  }

  /** The connection is gone: lets go of everything kept and ends a paced replay. */
  close(): void {
    this.stop();
  }

  private closing(): boolean {
    return this.stopped || this.socket.readyState !== 1;
  }

  private checkBudget(): void {
    if (this.inflight + this.queuedBytes + this.heldBytes <= this.limits.sendBudgetBytes) return;
    this.stop();
    this.onOverBudget();
  }

  private stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.held) this.held.length = 0;
    this.heldBytes = 0;
    this.wake();
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
    // ws corks the socket around each frame's header and payload and uncorks it at once: one
    // writev system call per frame, which was most of the delivery thread. Corking the socket
    // around the batch nests those, so a tick's frames leave in one writev (bench/README.md).
    const transport = last > 0 ? this.transport : undefined;
    transport?.cork();
    try {
      for (let i = 0; i < last; i++) this.socket.send(frames[i] as string);
      this.inflightSizes.push(bytes);
      this.socket.send(frames[last] as string, this.onSent);
    } finally {
      transport?.uncork();
    }
  };

  private wake(): void {
    const waiter = this.drainWaiter;
    this.drainWaiter = undefined;
    waiter?.();
  }

  private drain(): void {
    while (
      this.queue.length > 0 &&
      this.inflight < this.limits.sendHighWaterMark &&
      !this.stopped
    ) {
      const next = this.queue.shift() as QueuedFrame;
      this.queuedBytes -= next.bytes;
      if (this.socket.readyState !== 1) return;
      this.send(next.frame, next.bytes);
    }
  }
}
