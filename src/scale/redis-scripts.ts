import type Redis from 'ioredis';
import {
  PROTOCOL_VERSION,
  type Envelope,
  type OutboundMessage,
  type StreamPosition,
} from '../protocol/envelope';
import type { ReplayedFrame, StoredEnvelope } from './delivery-adapter';

// The Lua side of the Redis adapter: every read or write of a user's stream goes through one of
// these scripts, and every script first checks that the stream it is about to extend or read can
// still be trusted (see `OPEN`). Redis runs a script whole and alone, so the check and the work
// cannot be separated by another node's command.

/** The keys of one user; the hash tag keeps them together (one slot, were they in a Redis Cluster). */
export interface UserKeys {
  /** Hash: `epoch`, `seq` (the head) and `inc` (the Redis incarnation the epoch was checked under). */
  state: string;
  /** Stream of the user's frames, entry id `<seq>-0`. */
  stream: string;
  /** Pub/sub channel of the user's frames, and of epoch markers. */
  live: string;
}

export function userKeys(prefix: string, userId: string): UserKeys {
  const base = `${prefix}:{${userId}}:`;
  return { state: `${base}state`, stream: `${base}stream`, live: `${base}live` };
}

/**
 * What a node knows Redis once handed out for a user: a seq of an epoch. Redis holding that epoch
 * with a lower head is proof that it went back in time (a snapshot restored, a lagging replica
 * promoted): no later seq of that epoch can be trusted to mean what the node saw.
 */
export type Witness = StreamPosition;

/**
 * Published on a user's channel, before any frame of it, when a script starts a new epoch: `~`,
 * the epoch, a space and why — `new` (there was no stream: first use, expiry, eviction, a flushed
 * or empty Redis), `restart` (Redis restarted or failed over since the stream was last checked,
 * and restarts are not trusted) or `rewind` (a witness saw more than Redis holds). Frames are JSON
 * objects, so the first character tells the two apart.
 */
export const MARKER_PREFIX = '~';
export type MarkerReason = 'new' | 'restart' | 'rewind';

export function parseMarker(message: string): { epoch: string; reason: MarkerReason } | undefined {
  if (!message.startsWith(MARKER_PREFIX)) return undefined;
  const space = message.indexOf(' ');
  if (space < 0) return undefined;
  return {
    epoch: message.slice(MARKER_PREFIX.length, space),
    reason: message.slice(space + 1) as MarkerReason,
  };
}

/** The seq a witness stands for when a node must end an epoch whatever Redis holds. */
export const END_OF_EPOCH = Number.MAX_SAFE_INTEGER;

// The prelude of every script. INC names this Redis process and its replication history: the run
// id changes on every restart, the replication id on every promotion of a replica. A stream whose
// `inc` differs was last checked by another incarnation, which may hold more than this one (an
// RDB snapshot or an `everysec` AOF loses the last writes, a promoted replica may lag).
//
// open() returns the epoch and head a script may build on, after starting a new epoch (dropping
// the stream, publishing the marker) when there is no epoch, when it was checked under another
// incarnation and restarts are not trusted (`keep` is not '1'), or when a witness of the same
// epoch saw a seq above the head. Witnesses come as (epoch, seq) pairs in ARGV from `first`.
const OPEN = `
local INC = (string.match(redis.call('INFO', 'server'), 'run_id:(%w+)') or '') .. '/' ..
  (string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)') or '')
local function open(keys, fresh, keep, ttl, first, count)
  local s = redis.call('HMGET', keys[1], 'epoch', 'seq', 'inc')
  local epoch, seq, why = s[1], tonumber(s[2]) or 0, nil
  if not epoch then why = 'new'
  elseif s[3] ~= INC and keep ~= '1' then why = 'restart'
  else
    for i = first, first + 2 * count - 2, 2 do
      if ARGV[i] == epoch and seq < tonumber(ARGV[i + 1]) then why = 'rewind' end
    end
  end
  if why then
    redis.call('DEL', keys[2])
    redis.call('HSET', keys[1], 'epoch', fresh, 'seq', 0, 'inc', INC)
    redis.call('PEXPIRE', keys[1], ttl)
    redis.call('PUBLISH', keys[3], '${MARKER_PREFIX}' .. fresh .. ' ' .. why)
    return fresh, 0
  end
  if s[3] ~= INC then redis.call('HSET', keys[1], 'inc', INC) end
  return epoch, seq
end
`;

// One call appends a batch: every envelope a node publishes in one tick. They come grouped by user,
// in each user's order (different users' envelopes have no order between them). ARGV: keep, epoch
// seed, historySize, ttl, then per user: witness epoch, witness seq, count, and 2 per envelope: the
// frame's head and tail (see encodeAround). KEYS: 3 per user. The frame is the head, the seq and
// the epoch, and the tail: the key order of createEnvelope, so a replayed frame is byte-identical
// to the live one. Scripts run one at a time, so the seq order, the stream order and the pub/sub
// order are the same on every node. Per user, the state is written, the stream
// trimmed, the TTLs refreshed and the frames published once: one pub/sub message carries all of
// the user's frames of the batch, one per line (a JSON frame has no raw newline). An envelope whose
// append fails answers its own error and takes no seq, so the others' seqs stay consecutive.
// Returns per user: the epoch, the seq before the batch, and the number of failures followed by
// each failure's index in the group and error — or 0 and the error when the user's state could not
// be read (every envelope of the user fails with it).
const PUBLISH = `${OPEN}
local out, a, k = {}, 5, 0
while a <= #ARGV do
  local keys = { KEYS[k + 1], KEYS[k + 2], KEYS[k + 3] }
  local count = tonumber(ARGV[a + 2])
  local ok, epoch, seq = pcall(open, keys, ARGV[2] .. k, ARGV[1], ARGV[4], a, 1)
  if not ok then
    out[#out + 1] = 0
    out[#out + 1] = type(epoch) == 'table' and (epoch.err or 'ERR') or tostring(epoch)
  else
    local first, frames, failed, mid = seq, {}, {}, ',"epoch":"' .. epoch .. '"'
    for e = a + 3, a + 2 + count * 2, 2 do
      local frame = ARGV[e] .. ',"seq":' .. (seq + 1) .. mid .. ARGV[e + 1]
      local added = redis.pcall('XADD', keys[2], (seq + 1) .. '-0', 'f', frame)
      if type(added) == 'table' and added.err then
        failed[#failed + 1] = (e - a - 3) / 2
        failed[#failed + 1] = added.err
      else
        seq = seq + 1
        frames[#frames + 1] = frame
      end
    end
    if seq > first then
      redis.call('XTRIM', keys[2], 'MAXLEN', '~', ARGV[3])
      redis.call('HSET', keys[1], 'seq', seq)
      redis.call('PEXPIRE', keys[1], ARGV[4])
      redis.call('PEXPIRE', keys[2], ARGV[4])
      redis.call('PUBLISH', keys[3], table.concat(frames, '\\n'))
    end
    out[#out + 1] = epoch
    out[#out + 1] = first
    out[#out + 1] = #failed / 2
    for _, v in ipairs(failed) do out[#out + 1] = v end
  end
  a = a + 3 + count * 2
  k = k + 3
end
return out
`;

// KEYS: state, stream, live. ARGV: keep, fresh epoch, ttl, replay-from seq (-1: no replay), then
// witness pairs. Returns epoch, head, and for a replay whether the stream holds every envelope
// after `from` (1 or 0) followed by their frames. The client's own position is one of the
// witnesses of a replay: a client that saw seq 10 of an epoch whose head is 5 proves a rewind.
const HEAD = `${OPEN}
local epoch, seq = open(KEYS, ARGV[2], ARGV[1], ARGV[3], 5, (#ARGV - 4) / 2)
local from = tonumber(ARGV[4])
if from < 0 or ARGV[5] ~= epoch or from > seq then return { epoch, seq, 0 } end
local entries = redis.call('XRANGE', KEYS[2], (from + 1) .. '-0', seq .. '-0')
if #entries ~= seq - from then return { epoch, seq, 0 } end
local out = { epoch, seq, 1 }
for _, entry in ipairs(entries) do out[#out + 1] = entry[2][2] end
return out
`;

type Commands = Redis & {
  uwsPublish(...args: (string | number)[]): Promise<(number | string)[]>;
  uwsHead(...args: (string | number)[]): Promise<(number | string)[]>;
};

/**
 * One envelope for `publish`, encoded around the seq and epoch that only the script knows: the
 * frame is `head`, `,"seq":<seq>,"epoch":"<epoch>"`, `tail` — createEnvelope's key order.
 */
export interface PublishItem {
  head: string;
  tail: string;
}

/** An envelope encoded for `publish`, with what its caller's answer is made of. */
export interface EncodedEnvelope extends PublishItem {
  userId: string;
  message: OutboundMessage;
  ts: number;
}

export function encodeAround(
  userId: string,
  message: OutboundMessage,
  ts: number,
): EncodedEnvelope {
  const runId = message.runId === undefined ? '' : `,"runId":${JSON.stringify(message.runId)}`;
  return {
    head: `{"v":${PROTOCOL_VERSION},"type":${JSON.stringify(message.type)},"userId":${JSON.stringify(userId)}${runId}`,
    tail: `,"ts":${ts},"payload":${JSON.stringify(message.payload) ?? 'null'}}`,
    userId,
    message,
    ts,
  };
}

/** The frame the publish script builds for `item` at this seq and epoch, byte for byte. */
export function frameAround(item: PublishItem, seq: number, epoch: string): string {
  return `${item.head},"seq":${seq},"epoch":"${epoch}"${item.tail}`;
}

/**
 * What a publish resolves with. The manager takes only the envelope (connections get the frame
 * over pub/sub), so the frame, the same bytes the script built, is put together only if read.
 */
export class PublishedEnvelope implements StoredEnvelope {
  readonly envelope: Envelope;
  private encoded: string | undefined;

  constructor(
    private readonly item: EncodedEnvelope,
    position: StreamPosition,
  ) {
    const { seq, epoch } = position;
    const { userId, ts, message } = item;
    const { type, payload } = message;
    this.envelope =
      message.runId === undefined
        ? { v: PROTOCOL_VERSION, type, userId, seq, epoch, ts, payload }
        : { v: PROTOCOL_VERSION, type, userId, runId: message.runId, seq, epoch, ts, payload };
  }

  get frame(): string {
    return (this.encoded ??= frameAround(this.item, this.envelope.seq, this.envelope.epoch));
  }

  get bytes(): number {
    return Buffer.byteLength(this.frame);
  }
}

/** A user's envelopes of one batch, in the order they were published. */
export interface PublishGroup {
  userId: string;
  keys: UserKeys;
  witness: Witness | undefined;
  items: readonly PublishItem[];
}

/** What one envelope of a batch became: its place in the stream, or Redis's error for it alone. */
export type PublishOutcome = StreamPosition | { error: string };

export interface ScriptSettings {
  /** '1' when restarts keep streams (see RedisAdapterOptions.losslessRestarts). */
  keep: '0' | '1';
  historySize: number;
  ttl: number;
}

/** The adapter's scripts on one connection. */
export class RedisScripts {
  private readonly redis: Commands;

  constructor(
    redis: Redis,
    private readonly settings: ScriptSettings,
  ) {
    this.redis = redis as Commands;
    this.redis.defineCommand('uwsPublish', { lua: PUBLISH });
    this.redis.defineCommand('uwsHead', { lua: HEAD });
  }

  /**
   * Appends a batch in one script call; resolves with one outcome per envelope, group by group.
   * `epochSeed` names any epoch the batch has to start (one per group at most).
   */
  async publish(groups: readonly PublishGroup[], epochSeed: string): Promise<PublishOutcome[]> {
    const keys: string[] = [];
    const args: (string | number)[] = [
      this.settings.keep,
      epochSeed,
      this.settings.historySize,
      this.settings.ttl,
    ];
    for (const group of groups) {
      keys.push(group.keys.state, group.keys.stream, group.keys.live);
      args.push(group.witness?.epoch ?? '', group.witness?.seq ?? 0, group.items.length);
      for (const item of group.items) args.push(item.head, item.tail);
    }
    const reply = await this.redis.uwsPublish(keys.length, ...keys, ...args);
    const outcomes: PublishOutcome[] = [];
    let r = 0;
    for (const group of groups) {
      if (reply[r] === 0) {
        const error = { error: String(reply[r + 1]) };
        for (let i = 0; i < group.items.length; i++) outcomes.push(error);
        r += 2;
        continue;
      }
      const epoch = String(reply[r]);
      let seq = Number(reply[r + 1]);
      const failures = new Map<number, string>();
      for (let f = 0; f < Number(reply[r + 2]); f++)
        failures.set(Number(reply[r + 3 + 2 * f]), String(reply[r + 4 + 2 * f]));
      r += 3 + 2 * failures.size;
      for (let i = 0; i < group.items.length; i++) {
        const error = failures.get(i);
        outcomes.push(error === undefined ? { epoch, seq: ++seq } : { error });
      }
    }
    return outcomes;
  }

  /**
   * The head of a user's stream, once it can be trusted (a new epoch otherwise); with `from`, also
   * every frame after it when the stream holds them all.
   */
  async head(
    keys: UserKeys,
    fresh: string,
    witnesses: readonly (Witness | undefined)[],
    from?: StreamPosition,
  ): Promise<{ position: StreamPosition; frames: ReplayedFrame[] | undefined }> {
    const args: (string | number)[] = [
      this.settings.keep,
      fresh,
      this.settings.ttl,
      from ? from.seq : -1,
      from ? from.epoch : '',
      from ? from.seq : 0,
    ];
    for (const witness of witnesses) if (witness) args.push(witness.epoch, witness.seq);
    const reply = await this.redis.uwsHead(3, keys.state, keys.stream, keys.live, ...args);
    const position = { epoch: String(reply[0]), seq: Number(reply[1]) };
    if (Number(reply[2]) !== 1 || !from) return { position, frames: undefined };
    const frames: ReplayedFrame[] = [];
    for (let i = 3; i < reply.length; i++) {
      const frame = String(reply[i]);
      frames.push({ seq: from.seq + i - 2, frame, bytes: Buffer.byteLength(frame) });
    }
    return { position, frames };
  }
}
