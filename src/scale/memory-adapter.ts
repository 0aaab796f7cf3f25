import type { OutboundMessage, StreamPosition } from '../protocol/envelope';
import type {
  DeliverFn,
  DeliveryAdapter,
  ReplayedFrame,
  ReplayResult,
  StoredEnvelope,
} from './delivery-adapter';
import { FrameHistory } from './frame-history';
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

interface UserStream {
  epoch: string;
  seq: number;
  subscribed: boolean;
  history: FrameHistory;
}

/** The default adapter: every user stream lives in this process. */
export class MemoryDeliveryAdapter implements DeliveryAdapter {
  private readonly options: Required<MemoryAdapterOptions>;
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
    stream.history.push(stored.frame, now, stored.bytes);
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
    if (missing > stream.history.size) return { recovered: false, position };
    const frames: ReplayedFrame[] = [];
    const start = stream.history.size - missing;
    for (let i = start; i < stream.history.size; i++) {
      frames.push({
        seq: from.seq + 1 + i - start,
        frame: stream.history.frameAt(i),
        bytes: stream.history.bytesAt(i),
      });
    }
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
      if (!stream.subscribed && stream.history.size === 0) this.streams.delete(userId);
    }
  }

  private stream(userId: string): UserStream {
    let stream = this.streams.get(userId);
    if (!stream) {
      stream = {
        epoch: newEpoch(),
        seq: 0,
        subscribed: false,
        history: new FrameHistory(this.options.historySize, this.options.historyBytes),
      };
      this.streams.set(userId, stream);
    }
    return stream;
  }

  private expire(stream: UserStream, now: number): void {
    const oldest = now - this.options.historyTtlMs;
    while (stream.history.size > 0 && (stream.history.oldestTime() as number) < oldest) {
      stream.history.shift();
    }
  }
}
