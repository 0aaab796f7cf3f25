import Redis, { type RedisOptions } from 'ioredis';
import type { Envelope, OutboundMessage, StreamPosition } from '../protocol/envelope';
import type {
  AdapterHooks,
  DeliverFn,
  DeliveryAdapter,
  ReplayedFrame,
  ReplayResult,
  StoredEnvelope,
} from './delivery-adapter';
import { createEnvelope, HISTORY_DEFAULTS, newEpoch } from './user-stream';
import { OptionError } from '../errors/option-error';

export interface RedisAdapterOptions {
  /** The Redis server, e.g. redis://127.0.0.1:6379. Default: ioredis's (127.0.0.1:6379). */
  url?: string;
  /** Extra ioredis options (TLS, password, retry strategy…). */
  redis?: RedisOptions;
  /** Prefix of every key and channel. Default 'uws'. */
  prefix?: string;
  /** Envelopes kept per user stream (XADD MAXLEN ~). Default 256. */
  historySize?: number;
  /** A user's stream, counter and epoch expire after this long without a publish, in ms. Default 300000. */
  historyTtlMs?: number;
}

// One script appends and announces, so the seq order, the stream order and the pub/sub order are
// the same on every node. The frame is built here from pre-encoded JSON, in the key order of
// createEnvelope, so a replayed frame is byte-identical to the live one.
const PUBLISH = `
local epoch = redis.call('GET', KEYS[3])
if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[3], epoch) end
local seq = redis.call('INCR', KEYS[2])
local frame = '{"v":1,"type":' .. ARGV[2] .. ',"userId":' .. ARGV[3] .. ARGV[4] .. ',"seq":' .. seq .. ',"epoch":"' .. epoch .. '","ts":' .. ARGV[5] .. ',"payload":' .. ARGV[6] .. '}'
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[7], seq .. '-0', 'f', frame)
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
redis.call('PEXPIRE', KEYS[3], ARGV[8])
redis.call('PUBLISH', KEYS[4], frame)
return {seq, epoch}
`;

const POSITION = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch, 'PX', ARGV[2]) end
return {tonumber(redis.call('GET', KEYS[1]) or '0'), epoch}
`;

const noop = (): void => undefined;

type Commands = Redis & {
  uwsPublish(
    stream: string,
    seq: string,
    epoch: string,
    channel: string,
    ...args: (string | number)[]
  ): Promise<[number, string]>;
  uwsPosition(seq: string, epoch: string, newEpoch: string, ttl: number): Promise<[number, string]>;
};

/**
 * User streams in Redis, for several nodes behind a load balancer: each user's envelopes go to a
 * Redis Stream (bounded by MAXLEN) with a counter for seq and a key for the epoch, and are announced
 * on the user's pub/sub channel, which every node holding a connection of that user subscribes to.
 * A node that misses a live message (a reconnect to Redis) sees the gap in seq and reads it back from
 * the stream; if the stream no longer has it, the user's connections are told to resync.
 */
export class RedisDeliveryAdapter implements DeliveryAdapter {
  private readonly commands: Commands;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly historySize: number;
  private readonly ttl: number;
  private deliver: DeliverFn | undefined;
  private hooks: AdapterHooks | undefined;
  /** The newest seq (and its epoch) delivered per subscribed user, for gap detection. */
  private readonly last = new Map<string, StreamPosition>();
  /**
   * Per user this node subscribed to: the subscription, settled once it is in place. The entry is
   * also its identity: a subscription that finishes after an unsubscribe (or a later subscribe)
   * replaced it leaves `last` alone.
   */
  private readonly subscriptions = new Map<string, Promise<void>>();
  /** Work per user (a subscription, a gap being filled): later messages wait behind it, in order. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(options: RedisAdapterOptions = {}) {
    this.prefix = options.prefix ?? 'uws';
    this.historySize = options.historySize ?? HISTORY_DEFAULTS.historySize;
    this.ttl = options.historyTtlMs ?? HISTORY_DEFAULTS.historyTtlMs;
    for (const [key, value] of [
      ['historySize', this.historySize],
      ['historyTtlMs', this.ttl],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new OptionError(`RedisDeliveryAdapter: ${key} must be a positive integer`);
    }
    const connect = () =>
      options.url
        ? new Redis(options.url, { lazyConnect: true, ...options.redis })
        : new Redis({ lazyConnect: true, ...options.redis });
    this.commands = connect() as Commands;
    this.subscriber = connect();
    // Errors surface as rejected commands and reconnects; an 'error' listener keeps them from
    // becoming uncaught exceptions while Redis is away.
    this.commands.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.commands.defineCommand('uwsPublish', { numberOfKeys: 4, lua: PUBLISH });
    this.commands.defineCommand('uwsPosition', { numberOfKeys: 2, lua: POSITION });
  }

  async start(deliver: DeliverFn, hooks?: AdapterHooks): Promise<void> {
    this.deliver = deliver;
    this.hooks = hooks;
    this.subscriber.on('message', (channel: string, frame: string) =>
      this.onMessage(channel, frame),
    );
    // After a reconnect, catch up on whatever was published while the subscription was down.
    this.subscriber.on('ready', () => {
      for (const userId of this.last.keys()) this.enqueue(userId, () => this.catchUp(userId));
    });
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
  }

  /**
   * Subscribes to the user's channel, then reads the head: every envelope after it reaches
   * `deliver`. Messages that arrive before the head is known wait behind the subscription, in
   * order, instead of being dropped. Subscribing again while subscribed (or subscribing) returns
   * the same subscription: re-reading the head then would skip envelopes still on their way.
   */
  subscribe(userId: string): Promise<void> {
    const current = this.subscriptions.get(userId);
    if (current) return current;
    const subscription: Promise<void> = this.run(userId, async () => {
      // Unsubscribed before its turn came: sending SUBSCRIBE now would follow that UNSUBSCRIBE.
      if (this.subscriptions.get(userId) !== subscription) return;
      await this.subscriber.subscribe(this.key(userId, 'live'));
      const [seq, epoch] = await this.commands.uwsPosition(
        this.key(userId, 'seq'),
        this.key(userId, 'epoch'),
        newEpoch(),
        this.ttl,
      );
      if (this.subscriptions.get(userId) === subscription)
        this.last.set(userId, { epoch, seq: Number(seq) });
    });
    this.subscriptions.set(userId, subscription);
    subscription.catch(() => {
      if (this.subscriptions.get(userId) === subscription) this.subscriptions.delete(userId);
    });
    return subscription;
  }

  async unsubscribe(userId: string): Promise<void> {
    this.subscriptions.delete(userId);
    this.last.delete(userId);
    await this.subscriber.unsubscribe(this.key(userId, 'live'));
  }

  async publish(userId: string, message: OutboundMessage): Promise<StoredEnvelope> {
    const ts = Date.now();
    const runId = message.runId === undefined ? '' : `,"runId":${JSON.stringify(message.runId)}`;
    const payload = JSON.stringify(message.payload) ?? 'null';
    const [seq, epoch] = await this.commands.uwsPublish(
      this.key(userId, 'stream'),
      this.key(userId, 'seq'),
      this.key(userId, 'epoch'),
      this.key(userId, 'live'),
      newEpoch(),
      JSON.stringify(message.type),
      JSON.stringify(userId),
      runId,
      ts,
      payload,
      this.historySize,
      this.ttl,
    );
    return createEnvelope(userId, message, Number(seq), epoch, ts);
  }

  async replay(userId: string, from: StreamPosition): Promise<ReplayResult> {
    const [head, epoch] = await this.commands.uwsPosition(
      this.key(userId, 'seq'),
      this.key(userId, 'epoch'),
      newEpoch(),
      this.ttl,
    );
    const position = { epoch, seq: Number(head) };
    if (from.epoch !== epoch || from.seq > position.seq || from.seq < 0)
      return { recovered: false, position };
    if (from.seq === position.seq) return { recovered: true, frames: [], position };
    const frames = await this.range(userId, from.seq + 1, position.seq);
    // Whole or nothing: a stream trimmed past the client's position cannot prove the gap.
    if (frames.length !== position.seq - from.seq || frames[0]?.seq !== from.seq + 1)
      return { recovered: false, position };
    return { recovered: true, frames, position };
  }

  async position(userId: string): Promise<StreamPosition> {
    const [seq, epoch] = await this.commands.uwsPosition(
      this.key(userId, 'seq'),
      this.key(userId, 'epoch'),
      newEpoch(),
      this.ttl,
    );
    return { epoch, seq: Number(seq) };
  }

  async close(): Promise<void> {
    this.deliver = undefined;
    await Promise.allSettled([this.subscriber.quit(), this.commands.quit()]);
    this.subscriber.disconnect();
    this.commands.disconnect();
  }

  private key(userId: string, kind: 'stream' | 'seq' | 'epoch' | 'live'): string {
    // The hash tag keeps a user's keys in one slot of a Redis Cluster.
    return `${this.prefix}:{${userId}}:${kind}`;
  }

  private async range(userId: string, first: number, last: number): Promise<ReplayedFrame[]> {
    const entries = await this.commands.xrange(
      this.key(userId, 'stream'),
      `${first}-0`,
      `${last}-0`,
    );
    return entries.map(([id, fields]) => {
      const frame = fields[1] ?? '';
      return { seq: Number.parseInt(id, 10), frame, bytes: Buffer.byteLength(frame) };
    });
  }

  private onMessage(channel: string, frame: string): void {
    const userId = channel.slice(this.prefix.length + 2, -'}:live'.length);
    let envelope: Envelope;
    try {
      envelope = JSON.parse(frame) as Envelope;
    } catch {
      return;
    }
    const stored: StoredEnvelope = { envelope, frame, bytes: Buffer.byteLength(frame) };
    if (this.pending.has(userId)) {
      this.enqueue(userId, async () => this.accept(userId, stored));
      return;
    }
    const last = this.last.get(userId);
    if (last && last.epoch === envelope.epoch && envelope.seq > last.seq + 1) {
      this.enqueue(userId, async () => {
        await this.fill(userId, envelope.seq - 1);
        this.accept(userId, stored);
      });
      return;
    }
    this.accept(userId, stored);
  }

  /** Delivers an envelope unless it is old news for this node. */
  private accept(userId: string, stored: StoredEnvelope): void {
    const last = this.last.get(userId);
    if (!last) return; // no longer subscribed
    if (last.epoch === stored.envelope.epoch && stored.envelope.seq <= last.seq) return;
    this.last.set(userId, { epoch: stored.envelope.epoch, seq: stored.envelope.seq });
    this.deliver?.(stored);
  }

  /** Reads missed envelopes back from the stream; asks for a resync when it no longer has them. */
  private async fill(userId: string, upTo: number): Promise<void> {
    const last = this.last.get(userId);
    if (!last || upTo <= last.seq) return;
    const frames = await this.range(userId, last.seq + 1, upTo);
    if (frames.length !== upTo - last.seq || frames[0]?.seq !== last.seq + 1) {
      this.last.set(userId, { epoch: last.epoch, seq: upTo });
      this.hooks?.resync(userId);
      return;
    }
    for (const replayed of frames)
      this.accept(userId, {
        envelope: JSON.parse(replayed.frame) as Envelope,
        frame: replayed.frame,
        bytes: replayed.bytes,
      });
  }

  private async catchUp(userId: string): Promise<void> {
    const [head, epoch] = await this.commands.uwsPosition(
      this.key(userId, 'seq'),
      this.key(userId, 'epoch'),
      newEpoch(),
      this.ttl,
    );
    const last = this.last.get(userId);
    if (!last) return;
    if (last.epoch !== epoch) {
      // The stream itself is gone (Redis lost its data): the clients must resync.
      this.last.set(userId, { epoch, seq: Number(head) });
      this.hooks?.resync(userId);
      return;
    }
    await this.fill(userId, Number(head));
  }

  /** Runs work for one user after the work already queued for them; a failure asks for a resync. */
  private enqueue(userId: string, work: () => Promise<void>): void {
    this.run(userId, work).catch(() => this.hooks?.resync(userId));
  }

  /** Runs work for one user after the work already queued for them, and settles with it. */
  private run(userId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.pending.get(userId) ?? Promise.resolve();
    const result = previous.then(work);
    const next = result.then(noop, noop);
    this.pending.set(userId, next);
    void next.then(() => {
      if (this.pending.get(userId) === next) this.pending.delete(userId);
    });
    return result;
  }
}
