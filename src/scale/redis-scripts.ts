import type Redis from 'ioredis';
import type { StreamPosition } from '../protocol/envelope';
import type { ReplayedFrame } from './delivery-adapter';

// The Lua side of the Redis adapter: every read or write of a user's stream goes through one of
// these scripts, and every script first checks that the stream it is about to extend or read can
// still be trusted (see `OPEN`). Redis runs a script whole and alone, so the check and the work
// cannot be separated by another node's command.

/** The keys of one user; the hash tag keeps them in one slot of a Redis Cluster. */
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

// ARGV: keep, epoch seed, historySize, ttl, then 7 per envelope: witness epoch, witness seq, type
// (JSON), userId (JSON), the runId member or '', ts, payload (JSON). KEYS: 3 per envelope. The
// frame is built here from pre-encoded JSON in the key order of createEnvelope, so a replayed
// frame is byte-identical to the live one. One script appends and announces, so the seq order,
// the stream order and the pub/sub order are the same on every node. Returns seq, epoch per
// envelope.
const PUBLISH = `${OPEN}
local out = {}
for i = 0, (#ARGV - 4) / 7 - 1 do
  local a = 4 + i * 7
  local keys = { KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3] }
  local epoch = open(keys, ARGV[2] .. i, ARGV[1], ARGV[4], a + 1, 1)
  local seq = redis.call('HINCRBY', keys[1], 'seq', 1)
  local frame = '{"v":1,"type":' .. ARGV[a + 3] .. ',"userId":' .. ARGV[a + 4] .. ARGV[a + 5] ..
    ',"seq":' .. seq .. ',"epoch":"' .. epoch .. '","ts":' .. ARGV[a + 6] .. ',"payload":' ..
    ARGV[a + 7] .. '}'
  redis.call('XADD', keys[2], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'f', frame)
  redis.call('PEXPIRE', keys[2], ARGV[4])
  redis.call('PEXPIRE', keys[1], ARGV[4])
  redis.call('PUBLISH', keys[3], frame)
  out[#out + 1] = seq
  out[#out + 1] = epoch
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

/** One envelope for `publish`, its JSON already encoded. */
export interface PublishItem {
  keys: UserKeys;
  witness: Witness | undefined;
  type: string;
  userId: string;
  /** `,"runId":…` or ''. */
  runId: string;
  ts: number;
  payload: string;
}

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

  /** Appends the envelopes in order, in one script call; resolves with each one's position. */
  async publish(items: readonly PublishItem[], epochSeed: string): Promise<StreamPosition[]> {
    const keys: string[] = [];
    const args: (string | number)[] = [
      this.settings.keep,
      epochSeed,
      this.settings.historySize,
      this.settings.ttl,
    ];
    for (const item of items) {
      keys.push(item.keys.state, item.keys.stream, item.keys.live);
      args.push(
        item.witness?.epoch ?? '',
        item.witness?.seq ?? 0,
        item.type,
        item.userId,
        item.runId,
        item.ts,
        item.payload,
      );
    }
    const reply = await this.redis.uwsPublish(keys.length, ...keys, ...args);
    const positions: StreamPosition[] = [];
    for (let i = 0; i < reply.length; i += 2)
      positions.push({ seq: Number(reply[i]), epoch: String(reply[i + 1]) });
    return positions;
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
