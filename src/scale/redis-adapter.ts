import Redis, { ReplyError, type RedisOptions } from 'ioredis';
import type { Envelope, OutboundMessage, StreamPosition } from '../protocol/envelope';
import type {
  AdapterHooks,
  DeliverFn,
  DeliveryAdapter,
  ReplayResult,
  StoredEnvelope,
} from './delivery-adapter';
import { HISTORY_DEFAULTS, newEpoch } from './user-stream';
import { OptionError } from '../errors/option-error';
import {
  encodeAround,
  END_OF_EPOCH,
  parseMarker,
  PublishedEnvelope,
  RedisScripts,
  userKeys,
  type PublishGroup,
  type EncodedEnvelope,
  type PublishOutcome,
  type UserKeys,
} from './redis-scripts';
import { WitnessLog } from './redis-witness';
import { PublishBatcher } from './redis-batcher';

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
  /**
   * Whether streams survive a Redis restart or failover. Default false: Redis may come back with
   * less than it acknowledged (an RDB snapshot, `appendfsync everysec`, a replica promoted before
   * it caught up), and nothing in Redis can tell, so every stream starts a new epoch at its next
   * use and clients are told (4009, `recovered: false`). Set it only when Redis never loses an
   * acknowledged write (`appendfsync always` on one server, no failover): clients then resume
   * across restarts, and a rewind is still caught where a node saw more than Redis holds (see
   * docs/scaling.md, "Redis rollback and failover").
   */
  losslessRestarts?: boolean;
}

/** Where this node is in a subscribed user's stream. */
interface Subscribed {
  epoch: string;
  /** The newest seq delivered (or known to be before this node's connections' welcomes). */
  seq: number;
  /**
   * The newest seq of this epoch that came over pub/sub. Pub/sub delivers a channel's messages in
   * publish order, also across a reconnect (a message after it was published after the
   * resubscribe), so one at or below it means Redis handed the seq out again: it went back in time.
   */
  live: number;
  /** Epochs this node left, newest first: their frames may still be on their way, and are dropped. */
  retired: string[];
}

const RETIRED_KEPT = 4;
const noop = (): void => undefined;

/**
 * User streams in Redis, for several nodes behind a load balancer: each user's envelopes go to a
 * Redis Stream (bounded by MAXLEN) with a head (epoch, seq) in a hash, and are announced on the
 * user's pub/sub channel, which every node holding a connection of that user subscribes to. A node
 * that misses a live message (a reconnect to Redis) sees the gap in seq and reads it back from the
 * stream; if the stream no longer has it, the user's connections are told to resync. A Redis that
 * comes back with older state (or restarts, unless restarts are trusted) never hands a seq out
 * twice within an epoch: the stream starts a new epoch, and connections are told.
 */
export class RedisDeliveryAdapter implements DeliveryAdapter {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly scripts: RedisScripts;
  private readonly batcher: PublishBatcher<EncodedEnvelope, StoredEnvelope>;
  private readonly prefix: string;
  private readonly witness: WitnessLog;
  private deliver: DeliverFn | undefined;
  private hooks: AdapterHooks | undefined;
  /** Per subscribed user: where this node is in their stream, for gap and rewind detection. */
  private readonly last = new Map<string, Subscribed>();
  /**
   * Per user this node subscribed to: the subscription, settled once it is in place. The entry is
   * also its identity: a subscription that finishes after an unsubscribe (or a later subscribe)
   * replaced it leaves `last` alone.
   */
  private readonly subscriptions = new Map<string, Promise<void>>();
  /** Work per user (a subscription, a gap being filled): later messages wait behind it, in order. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Envelopes accepted and not yet handed to the manager (see handOut). */
  private outgoing: StoredEnvelope[] = [];

  constructor(options: RedisAdapterOptions = {}) {
    this.prefix = options.prefix ?? 'uws';
    const historySize = options.historySize ?? HISTORY_DEFAULTS.historySize;
    const ttl = options.historyTtlMs ?? HISTORY_DEFAULTS.historyTtlMs;
    for (const [key, value] of [
      ['historySize', historySize],
      ['historyTtlMs', ttl],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new OptionError(`RedisDeliveryAdapter: ${key} must be a positive integer`);
    }
    const lossless = options.losslessRestarts ?? false;
    if (typeof lossless !== 'boolean')
      throw new OptionError('RedisDeliveryAdapter: losslessRestarts must be a boolean');
    // disconnectTimeout: after disconnect(), ioredis waits this long for the socket to close, on a
    // timer that a socket already closed never clears (2 s by default, keeping the process alive).
    // close() disconnects only after QUIT or once the connection is gone: nothing to wait for.
    const defaults = { lazyConnect: true, disconnectTimeout: 50 };
    const connect = () =>
      options.url
        ? new Redis(options.url, { ...defaults, ...options.redis })
        : new Redis({ ...defaults, ...options.redis });
    this.commands = connect();
    this.subscriber = connect();
    // Errors surface as rejected commands and reconnects; an 'error' listener keeps them from
    // becoming uncaught exceptions while Redis is away.
    this.commands.on('error', noop);
    this.subscriber.on('error', noop);
    this.scripts = new RedisScripts(this.commands, {
      keep: lossless ? '1' : '0',
      historySize,
      ttl,
    });
    this.witness = new WitnessLog(ttl);
    this.batcher = new PublishBatcher(
      (userId) => ({ userId, keys: this.keys(userId), witness: this.witness.get(userId) }),
      (groups) => this.sendBatch(groups),
      {
        complete: (item, position) => new PublishedEnvelope(item, position),
        // The same error a single command would have rejected with: Redis's words for this envelope.
        refused: (reason) => new ReplyError(reason),
      },
    );
  }

  async start(deliver: DeliverFn, hooks?: AdapterHooks): Promise<void> {
    this.deliver = deliver;
    this.hooks = hooks;
    this.subscriber.on('message', (channel: string, message: string) =>
      this.onMessage(channel, message),
    );
    // After a reconnect, catch up on whatever was published while the subscription was down, and
    // find out whether Redis came back with the streams this node knew (see catchUp).
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
      const keys = this.keys(userId);
      await this.subscriber.subscribe(keys.live);
      const position = await this.head(userId);
      if (this.subscriptions.get(userId) === subscription)
        this.last.set(userId, { ...position, live: 0, retired: [] });
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
    await this.subscriber.unsubscribe(this.keys(userId).live);
  }

  /** Goes out with the other publishes of this tick, in one script call (see PublishBatcher). */
  publish(userId: string, message: OutboundMessage): Promise<StoredEnvelope> {
    const ts = Date.now();
    return this.batcher.add(userId, encodeAround(userId, message, ts));
  }

  /**
   * Every envelope after `from`, read with the head in one script. The client's position is a
   * witness too: a client ahead of the head of its own epoch ends that epoch (recovered: false).
   */
  async replay(userId: string, from: StreamPosition): Promise<ReplayResult> {
    if (from.seq < 0) return { recovered: false, position: await this.head(userId) };
    const { position, frames } = await this.scripts.head(
      this.keys(userId),
      newEpoch(),
      [this.witness.get(userId)],
      from,
    );
    this.witness.note(userId, position);
    // Whole or nothing: a stream trimmed past the client's position cannot prove the gap.
    return frames ? { recovered: true, frames, position } : { recovered: false, position };
  }

  position(userId: string): Promise<StreamPosition> {
    return this.head(userId);
  }

  async close(): Promise<void> {
    this.deliver = undefined;
    this.witness.close();
    await Promise.allSettled([this.subscriber.quit(), this.commands.quit()]);
    // Only a connection QUIT did not end (Redis is away): that stops its reconnecting.
    for (const connection of [this.subscriber, this.commands])
      if (connection.status !== 'end') connection.disconnect();
  }

  /** One batch to Redis; what it handed out is noted once per user, at the user's last seq. */
  private async sendBatch(groups: readonly PublishGroup[]): Promise<PublishOutcome[]> {
    const outcomes = await this.scripts.publish(groups, newEpoch());
    let end = 0;
    for (const group of groups) {
      end += group.items.length;
      for (let i = end - 1; i >= end - group.items.length; i--) {
        const outcome = outcomes[i];
        if (outcome && 'seq' in outcome) {
          this.witness.note(group.userId, outcome);
          break;
        }
      }
    }
    return outcomes;
  }

  private keys(userId: string): UserKeys {
    return userKeys(this.prefix, userId);
  }

  /** The trusted head of the user's stream, given what this node (and `also`) saw. */
  private async head(userId: string, also?: StreamPosition): Promise<StreamPosition> {
    const { position } = await this.scripts.head(this.keys(userId), newEpoch(), [
      this.witness.get(userId),
      also,
    ]);
    this.witness.note(userId, position);
    return position;
  }

  /** A marker, or one or more frames of one user, one per line (see the publish script). */
  private onMessage(channel: string, message: string): void {
    const userId = channel.slice(this.prefix.length + 2, -'}:live'.length);
    let start = 0;
    while (start < message.length) {
      const end = message.indexOf('\n', start);
      const one =
        end < 0 ? (start === 0 ? message : message.slice(start)) : message.slice(start, end);
      start = end < 0 ? message.length : end + 1;
      if (this.pending.has(userId)) {
        this.enqueue(userId, async () => {
          await this.receive(userId, one)?.();
        });
        continue;
      }
      const rest = this.receive(userId, one);
      if (rest) this.enqueue(userId, rest);
    }
  }

  /**
   * Handles one message of a user's channel in order; what needs Redis first (a gap to fill, an
   * epoch to check) comes back as work for the user's queue, which later messages wait behind.
   */
  private receive(userId: string, message: string): (() => Promise<void>) | undefined {
    const last = this.last.get(userId);
    if (!last) return undefined; // no longer subscribed
    const marker = parseMarker(message);
    if (marker) {
      if (marker.epoch === last.epoch || last.retired.includes(marker.epoch)) return undefined;
      // The stream started over, in pub/sub order: every frame of the old epoch came before this.
      // After no stream at all (expiry, a flush) this node delivered all it had; after a restart
      // or a rewind, envelopes its connections saw may be gone or handed out again: resync.
      this.adopt(last, { epoch: marker.epoch, seq: 0 });
      if (marker.reason !== 'new') this.resync(userId);
      return undefined;
    }
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return undefined;
    }
    if (envelope.epoch !== last.epoch) {
      if (last.retired.includes(envelope.epoch)) return undefined; // sent before this node moved on
      // An epoch whose start this node did not see: find out where the stream stands.
      return () => this.catchUp(userId);
    }
    if (envelope.seq <= last.live) {
      const epoch = last.epoch;
      return () => this.endEpoch(userId, epoch);
    }
    last.live = envelope.seq;
    this.witness.note(userId, envelope);
    if (envelope.seq <= last.seq) return undefined; // already read from the stream or the head
    const stored: StoredEnvelope = { envelope, frame: message, bytes: Buffer.byteLength(message) };
    if (envelope.seq > last.seq + 1)
      return async () => {
        await this.fill(userId, envelope.seq - 1);
        this.accept(userId, stored);
      };
    this.accept(userId, stored);
    return undefined;
  }

  /** Delivers an envelope of the current epoch unless it is old news for this node. */
  private accept(userId: string, stored: StoredEnvelope): void {
    const last = this.last.get(userId);
    if (!last || last.epoch !== stored.envelope.epoch || stored.envelope.seq <= last.seq) return;
    last.seq = stored.envelope.seq;
    this.outgoing.push(stored);
    if (this.outgoing.length === 1) setImmediate(this.handOut);
  }

  /**
   * Hands the envelopes accepted since the last call to the manager, in order. Deferred to the end
   * of the event loop's poll phase: every read from Redis in that phase is handed over at once, so
   * a connection sends them in one write instead of one per read (a read of pub/sub carries a few
   * frames of each of many users; the manager writes each connection's frames once per tick).
   */
  private readonly handOut = (): void => {
    const outgoing = this.outgoing;
    this.outgoing = [];
    for (const stored of outgoing) this.deliver?.(stored);
  };

  /** Asks the manager to resync a user, after handing over what was accepted before. */
  private resync(userId: string): void {
    if (this.outgoing.length > 0) this.handOut();
    this.hooks?.resync(userId);
  }

  /** Moves to another epoch of the stream; frames of the one left are dropped from then on. */
  private adopt(last: Subscribed, position: StreamPosition): void {
    if (position.epoch !== last.epoch)
      last.retired = [last.epoch, ...last.retired].slice(0, RETIRED_KEPT);
    last.epoch = position.epoch;
    last.seq = position.seq;
    last.live = 0;
  }

  /** Reads missed envelopes back from the stream; asks for a resync when it no longer has them. */
  private async fill(userId: string, upTo: number): Promise<void> {
    const last = this.last.get(userId);
    if (!last || upTo <= last.seq) return;
    const epoch = last.epoch;
    const entries = await this.commands.xrange(
      this.keys(userId).stream,
      `${last.seq + 1}-0`,
      `${upTo}-0`,
    );
    const envelopes = entries.map(([, fields]) => {
      const frame = fields[1] ?? '';
      return { envelope: JSON.parse(frame) as Envelope, frame, bytes: Buffer.byteLength(frame) };
    });
    if (this.last.get(userId) !== last || last.epoch !== epoch) return;
    // The stream may have started over meanwhile: its seqs then name other envelopes.
    if (
      envelopes.length !== upTo - last.seq ||
      envelopes[0]?.envelope.seq !== last.seq + 1 ||
      envelopes.some((stored) => stored.envelope.epoch !== epoch)
    ) {
      last.seq = upTo;
      this.resync(userId);
      return;
    }
    for (const stored of envelopes) this.accept(userId, stored);
  }

  /**
   * After a reconnect to Redis, or a frame of an epoch this node never saw start: reads the head
   * (which starts a new epoch if Redis restarted, unless restarts are trusted, or went back
   * before what this node saw) and fills the gap, or resyncs when the epoch is not the one the
   * node's connections are in.
   */
  private async catchUp(userId: string): Promise<void> {
    const last = this.last.get(userId);
    if (!last) return;
    const position = await this.head(userId);
    if (this.last.get(userId) !== last) return;
    if (position.epoch !== last.epoch) {
      this.adopt(last, position);
      this.resync(userId);
      return;
    }
    await this.fill(userId, position.seq);
  }

  /** Redis handed a seq of this epoch out again: the epoch ends here, for every node. */
  private async endEpoch(userId: string, epoch: string): Promise<void> {
    const position = await this.head(userId, { epoch, seq: END_OF_EPOCH });
    const last = this.last.get(userId);
    if (!last || last.epoch !== epoch) return;
    this.adopt(last, position);
    this.resync(userId);
  }

  /** Runs work for one user after the work already queued for them; a failure asks for a resync. */
  private enqueue(userId: string, work: () => Promise<void>): void {
    this.run(userId, work).catch(() => this.resync(userId));
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
