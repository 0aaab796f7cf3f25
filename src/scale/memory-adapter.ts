import type { OutboundMessage, StreamPosition } from '../protocol/envelope';
import type {
  DeliverFn,
  DeliveryAdapter,
  ReplayedFrame,
  ReplayResult,
  StoredEnvelope,
} from './delivery-adapter';
import { FrameHistory, type HistoryLimits } from './frame-history';
import { createEnvelope, HISTORY_DEFAULTS, newEpoch } from './user-stream';
import { OptionError } from '../errors/option-error';

export interface MemoryAdapterOptions {
  /** Envelopes kept per user for replay. Default 256. */
  historySize?: number;
  /** Bytes of frames kept per user for replay (the oldest go first). Default 1 MiB. */
  historyBytes?: number;
  /** How long an envelope stays replayable, in ms. Default 300000 (5 minutes). */
  historyTtlMs?: number;
  /** How often expired history and idle streams are dropped, in ms. Default 30000. */
  sweepIntervalMs?: number;
}

const DEFAULTS: Required<MemoryAdapterOptions> = { ...HISTORY_DEFAULTS, sweepIntervalMs: 30_000 };

/** See MemoryDeliveryAdapter.historyMemory(). */
export interface HistoryMemory {
  /** User streams held (a user with a connection here, or with history left to replay). */
  streams: number;
  /** Envelopes held for replay. */
  frames: number;
  /** UTF-8 bytes of those envelopes' frames. */
  frameBytes: number;
  /** Bytes of the chunks that hold them (frames, 12-byte headers, room left in chunks). */
  retainedBytes: number;
}

/**
 * A user's stream in this process: its position, and the history it can replay. One object per
 * user rather than a record that points at a history: with tens of thousands of users who each got
 * a few envelopes, that record's header and pointer were a tenth of what each user cost.
 */
class UserStream extends FrameHistory {
  seq = 0;
  subscribed = false;

  constructor(
    readonly epoch: string,
    limits: HistoryLimits,
  ) {
    super(limits);
  }
}

/**
 * The default adapter: every user stream lives in this process. A stream's memory follows what it
 * holds (see FrameHistory): a user with one 200-byte envelope costs about 500 bytes in all, a user
 * whose envelopes expired costs only the stream record while connected, and nothing once it is
 * swept. historyMemory() reports the totals; `npm run bench:history` measures them.
 */
export class MemoryDeliveryAdapter implements DeliveryAdapter {
  private readonly options: Required<MemoryAdapterOptions>;
  /** Shared by every stream's history; bench/history gives it another chunk allocator. */
  protected limits: HistoryLimits;
  private readonly streams = new Map<string, UserStream>();
  private deliver: DeliverFn | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryAdapterOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    for (const key of Object.keys(DEFAULTS) as (keyof MemoryAdapterOptions)[]) {
      const value = this.options[key];
      if (!Number.isInteger(value) || value < 1)
        throw new OptionError(`MemoryDeliveryAdapter: ${key} must be a positive integer`);
    }
    this.limits = { maxEntries: this.options.historySize, maxBytes: this.options.historyBytes };
  }

  start(deliver: DeliverFn): void {
    this.deliver = deliver;
    this.sweepTimer = setInterval(() => this.sweep(), this.options.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  subscribe(userId: string): void {
    this.stream(userId).subscribed = true;
  }

  unsubscribe(userId: string): void {
    const stream = this.streams.get(userId);
    if (stream) stream.subscribed = false;
  }

  publish(userId: string, message: OutboundMessage): StoredEnvelope {
    const stream = this.stream(userId);
    const now = Date.now();
    const stored = createEnvelope(userId, message, ++stream.seq, stream.epoch, now);
    stream.push(stored.frame, now, stored.bytes);
    this.expire(stream, now);
    if (stream.subscribed) this.deliver?.(stored);
    return stored;
  }

  replay(userId: string, from: StreamPosition): ReplayResult {
    const stream = this.stream(userId);
    const position = { epoch: stream.epoch, seq: stream.seq };
    if (from.epoch !== stream.epoch || from.seq > stream.seq || from.seq < 0)
      return { recovered: false, position };
    this.expire(stream, Date.now());
    const missing = stream.seq - from.seq;
    if (missing > stream.size) return { recovered: false, position };
    const frames: ReplayedFrame[] = [];
    let seq = from.seq;
    stream.forEach(stream.size - missing, (frame, bytes) =>
      frames.push({ seq: ++seq, frame, bytes }),
    );
    return { recovered: true, frames, position };
  }

  position(userId: string): StreamPosition {
    const stream = this.stream(userId);
    return { epoch: stream.epoch, seq: stream.seq };
  }

  /** Number of user streams held, for stats and leak tests. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** What the replay histories hold, summed over every stream (walks them: for stats, not per message). */
  historyMemory(): HistoryMemory {
    const memory: HistoryMemory = {
      streams: this.streams.size,
      frames: 0,
      frameBytes: 0,
      retainedBytes: 0,
    };
    for (const stream of this.streams.values()) {
      memory.frames += stream.size;
      memory.frameBytes += stream.bytes;
      memory.retainedBytes += stream.retainedBytes;
    }
    return memory;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.deliver = undefined;
    this.streams.clear();
  }

  /** Drops expired history, and streams nobody holds that have nothing left to replay. */
  sweep(now = Date.now()): void {
    for (const [userId, stream] of this.streams) {
      this.expire(stream, now);
      if (!stream.subscribed && stream.size === 0) this.streams.delete(userId);
    }
  }

  private stream(userId: string): UserStream {
    let stream = this.streams.get(userId);
    if (!stream) {
      stream = new UserStream(newEpoch(), this.limits);
      this.streams.set(userId, stream);
    }
    return stream;
  }

  private expire(stream: UserStream, now: number): void {
    const oldest = now - this.options.historyTtlMs;
    while (stream.size > 0 && (stream.oldestTime() as number) < oldest) {
      stream.shift();
    }
  }
}
