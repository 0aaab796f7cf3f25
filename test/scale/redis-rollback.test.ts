import Redis from 'ioredis';
import type { Envelope } from '../../src/protocol/envelope';
import { OptionError } from '../../src/errors/option-error';
import { RedisDeliveryAdapter, type RedisAdapterOptions } from '../../src/scale/redis-adapter';
import { seeded, startManager, TestSocket, useCleanup } from '../helpers';
import { RedisServer, type RedisPersistence } from './redis-server';
import { audit, eventually, WatchedClient } from './stream-audit';

type Node = Awaited<ReturnType<typeof startManager>>;

describe('Redis coming back with older state (restore, everysec loss, lagging replica)', () => {
  const defer = useCleanup();

  async function redisServer(persistence: RedisPersistence): Promise<RedisServer> {
    const redis = await RedisServer.start(persistence);
    defer(() => redis.dispose());
    return redis;
  }

  function node(redis: RedisServer, options: Partial<RedisAdapterOptions> = {}): Promise<Node> {
    return startManager(defer, {
      adapter: new RedisDeliveryAdapter({ url: redis.url, ...options }),
    });
  }

  /** Sends through `from` and keeps what each send resolved with. */
  function sender(from: Node, resolved: Envelope[], user = 'alice') {
    return async (i: number): Promise<Envelope> => {
      const envelope = await from.manager.forUser(user).send('note', { i });
      resolved.push(envelope);
      return envelope;
    };
  }

  function watch(user: string, url: string): WatchedClient {
    const watched = new WatchedClient(user, () => url, seeded(7));
    defer(() => watched.close());
    return watched;
  }

  /** Told at least once, and back on a connection that has resumed since. */
  function resumedAfterTold(watched: WatchedClient): boolean {
    const told = watched.seen.map((s) => s.kind).lastIndexOf('told');
    return (
      told >= 0 &&
      watched.client.connected &&
      watched.seen.slice(told).some((s) => s.kind === 'position' && s.how.startsWith('resumed'))
    );
  }

  it('5 sends, SAVE, 5 sends, kill -9, restart from the snapshot, 5 sends: the client is told, nothing is re-issued, and every later send reaches it', async () => {
    const redis = await redisServer('rdb');
    const a = await node(redis);
    const b = await node(redis);
    const watched = watch('alice', b.url);
    await watched.connect();
    const resolved: Envelope[] = [];
    const send = sender(a, resolved);
    for (let i = 0; i < 5; i++) await send(i);
    const snapshot = await redis.save();
    for (let i = 5; i < 10; i++) await send(i);
    expect(await eventually(() => watched.envelopes().length === 10, 5000)).toBe(true);
    const before = watched.position;
    expect(before?.seq).toBe(10);

    await redis.restart({ kill: true, from: snapshot });
    // Sent at once: they race the nodes' reconnects and their catch-up.
    const racing: Envelope[] = [];
    for (let i = 10; i < 15; i++) racing.push(await send(i));
    // Redis holds seq 5 of the old epoch again; handing out 6..10 of it once more would give the
    // client other envelopes under seqs it already has, which it would drop as already seen.
    expect(racing.map((e) => e.epoch === before?.epoch)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(racing.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await eventually(() => resumedAfterTold(watched), 10_000)).toBe(true);

    const after: Envelope[] = [];
    for (let i = 15; i < 20; i++) after.push(await send(i));
    expect(await eventually(() => watched.position?.seq === 10, 5000)).toBe(true);
    const got = watched.envelopes().filter((e) => e.epoch === after[0]?.epoch);
    expect(got.slice(-5).map((e) => e.seq)).toEqual(after.map((e) => e.seq));
    // A racing send the client did not get was before the position it was told to resume from.
    const toldAt = watched.seen.find((s) => s.kind === 'position' && s.how === 'resumed(false)');
    for (const envelope of racing)
      if (!got.some((e) => e.seq === envelope.seq))
        expect(toldAt && toldAt.kind === 'position' && envelope.seq <= toldAt.seq).toBe(true);
    expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
  });

  it('by default a restart is not trusted even when nothing was lost (AOF, appendfsync always): the client is told and follows the new epoch', async () => {
    const redis = await redisServer('aof');
    const a = await node(redis);
    const b = await node(redis);
    const watched = watch('alice', b.url);
    await watched.connect();
    const resolved: Envelope[] = [];
    const send = sender(a, resolved);
    for (let i = 0; i < 3; i++) await send(i);
    expect(await eventually(() => watched.position?.seq === 3, 5000)).toBe(true);
    await redis.restart({ kill: true });
    expect(await eventually(() => resumedAfterTold(watched), 10_000)).toBe(true);
    const later = await send(3);
    expect([later.epoch === resolved[0]?.epoch, later.seq]).toEqual([false, 1]);
    expect(await eventually(() => watched.position?.seq === 1, 5000)).toBe(true);
    expect(watched.position?.epoch).toBe(later.epoch);
    expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
  });

  it('Redis back empty (no persistence, kill -9): the client is told, later sends reach it', async () => {
    const redis = await redisServer('memory');
    const a = await node(redis);
    const b = await node(redis);
    const watched = watch('alice', b.url);
    await watched.connect();
    const resolved: Envelope[] = [];
    const send = sender(a, resolved);
    for (let i = 0; i < 5; i++) await send(i);
    expect(await eventually(() => watched.envelopes().length === 5, 5000)).toBe(true);
    await redis.restart({ kill: true });
    expect(await eventually(() => resumedAfterTold(watched), 10_000)).toBe(true);
    const later = [await send(5), await send(6)];
    expect(await eventually(() => watched.position?.seq === later[1]?.seq, 5000)).toBe(true);
    expect(watched.position?.epoch).toBe(later[1]?.epoch);
    expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
  });

  it('a client at seq 7 resumes on a node that never saw the stream, after the head went back to 5 and new sends took it past 7: recovered false', async () => {
    const redis = await redisServer('rdb');
    const a = await node(redis);
    const send = sender(a, []);
    const first = await TestSocket.open(a.url, 'dev:alice');
    for (let i = 0; i < 5; i++) await send(i);
    const snapshot = await redis.save();
    for (let i = 5; i < 7; i++) await send(i);
    await first.waitFor((f) => f.seq === 7);
    const { epoch } = first.frames[0] as { epoch: string };
    await first.close();
    await a.manager.close(); // no node is left that saw seq 6 and 7
    await redis.restart({ kill: true, from: snapshot });
    const c = await node(redis);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await c.manager.forUser('alice').send('note', { i }));
    expect(sent.map((e) => e.epoch === epoch)).toEqual([false, false, false]);
    const again = await TestSocket.open(c.url, 'dev:alice');
    defer(() => again.close());
    again.send({ type: 'resume', payload: { epoch, seq: 7 } });
    expect(await again.waitFor((f) => f.type === 'resumed')).toMatchObject({
      recovered: false,
      epoch: sent[0]?.epoch,
      seq: 3,
    });
  });

  it('a FLUSHALL while nodes stay connected starts a new epoch that connected clients simply follow', async () => {
    const redis = await redisServer('memory');
    const a = await node(redis);
    const b = await node(redis);
    const watched = watch('alice', b.url);
    await watched.connect();
    const resolved: Envelope[] = [];
    const send = sender(a, resolved);
    for (let i = 0; i < 3; i++) await send(i);
    expect(await eventually(() => watched.envelopes().length === 3, 5000)).toBe(true);
    const admin = new Redis(redis.url);
    defer(() => admin.quit());
    await admin.flushall();
    const later = [await send(3), await send(4)];
    expect(later[0]?.epoch).not.toBe(resolved[0]?.epoch);
    // Pub/sub brought every envelope of the old epoch before the new one began: nothing to tell.
    expect(await eventually(() => watched.envelopes().length === 5, 5000)).toBe(true);
    expect(watched.told()).toBe(0);
    expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
  });

  describe('rewound in place (the same process and run id: nothing but the data says so)', () => {
    it('the publishing node saw more than Redis holds: its next send starts a new epoch, and the client is told', async () => {
      const redis = await redisServer('rdb');
      const a = await node(redis);
      const b = await node(redis);
      const watched = watch('alice', b.url);
      await watched.connect();
      const resolved: Envelope[] = [];
      const send = sender(a, resolved);
      for (let i = 0; i < 5; i++) await send(i);
      const snapshot = await redis.save();
      for (let i = 5; i < 10; i++) await send(i);
      expect(await eventually(() => watched.position?.seq === 10, 5000)).toBe(true);
      await redis.rewind(snapshot);
      const next = await send(10);
      expect([next.epoch === resolved[0]?.epoch, next.seq]).toEqual([false, 1]);
      expect(await eventually(() => resumedAfterTold(watched), 10_000)).toBe(true);
      const last = await send(11);
      expect(await eventually(() => watched.position?.seq === last.seq, 5000)).toBe(true);
      expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
    });

    it('a node that never saw the stream re-issues seq 6: the subscribed node hears it again over pub/sub, ends the epoch and tells its clients', async () => {
      const redis = await redisServer('rdb');
      const a = await node(redis);
      const b = await node(redis);
      const watched = watch('alice', b.url);
      await watched.connect();
      const send = sender(a, []);
      for (let i = 0; i < 5; i++) await send(i);
      const snapshot = await redis.save();
      for (let i = 5; i < 10; i++) await send(i);
      expect(await eventually(() => watched.position?.seq === 10, 5000)).toBe(true);
      await redis.rewind(snapshot);
      const c = await node(redis); // started after the rewind: it has nothing to compare with
      const reissued = await c.manager.forUser('alice').send('note', { i: 'again' });
      expect([reissued.epoch === watched.position?.epoch, reissued.seq]).toEqual([true, 6]);
      expect(await eventually(() => resumedAfterTold(watched), 10_000)).toBe(true);
      const last = await c.manager.forUser('alice').send('note', { i: 'later' });
      expect(last.epoch).not.toBe(reissued.epoch);
      expect(await eventually(() => watched.position?.seq === last.seq, 5000)).toBe(true);
      // The client kept the envelope it had for seq 6 and never took the re-issued one.
      const six = watched.envelopes().filter((e) => e.epoch === reissued.epoch && e.seq === 6);
      expect(six.map((e) => JSON.parse(e.content)[2])).toEqual([{ i: 5 }]);
      expect(audit([watched], new Map())).toEqual([]);
    });

    it('a client ahead of the head of its own epoch proves the rewind: recovered false, and the epoch ends for everyone', async () => {
      const redis = await redisServer('rdb');
      const a = await node(redis);
      const send = sender(a, []);
      const first = await TestSocket.open(a.url, 'dev:alice');
      for (let i = 0; i < 5; i++) await send(i);
      const snapshot = await redis.save();
      for (let i = 5; i < 10; i++) await send(i);
      await first.waitFor((f) => f.seq === 10);
      const { epoch } = first.frames[0] as { epoch: string };
      await first.close();
      await a.manager.close(); // no node is left that saw seq 6 to 10
      await redis.rewind(snapshot);
      const c = await node(redis);
      const ahead = await TestSocket.open(c.url, 'dev:alice');
      defer(() => ahead.close());
      ahead.send({ type: 'resume', payload: { epoch, seq: 10 } });
      const answer = await ahead.waitFor((f) => f.type === 'resumed');
      expect(answer).toMatchObject({ recovered: false, seq: 0 });
      expect(answer.epoch).not.toBe(epoch);
      // A tab that had seen up to 7 comes back once sends took the head past 7.
      for (let i = 0; i < 3; i++) await c.manager.forUser('alice').send('note', { i });
      const behind = await TestSocket.open(c.url, 'dev:alice');
      defer(() => behind.close());
      behind.send({ type: 'resume', payload: { epoch, seq: 7 } });
      expect(await behind.waitFor((f) => f.type === 'resumed')).toMatchObject({
        recovered: false,
        epoch: answer.epoch,
        seq: 3,
      });
    });
  });

  describe('with losslessRestarts (restarts trusted)', () => {
    it('keeps the epoch across a kill -9 that lost nothing (AOF, appendfsync always)', async () => {
      const redis = await redisServer('aof');
      const a = await node(redis, { losslessRestarts: true });
      const b = await node(redis, { losslessRestarts: true });
      const watched = watch('alice', b.url);
      await watched.connect();
      const resolved: Envelope[] = [];
      const send = sender(a, resolved);
      for (let i = 0; i < 3; i++) await send(i);
      await redis.restart({ kill: true });
      for (let i = 3; i < 6; i++) await send(i);
      expect(await eventually(() => watched.position?.seq === 6, 10_000)).toBe(true);
      expect(new Set(resolved.map((e) => e.epoch)).size).toBe(1);
      expect(watched.told()).toBe(0);
      expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
    });

    it('still catches a restart from an older snapshot where a node saw more: the client is told', async () => {
      const redis = await redisServer('rdb');
      const a = await node(redis, { losslessRestarts: true });
      const b = await node(redis, { losslessRestarts: true });
      const watched = watch('alice', b.url);
      await watched.connect();
      const resolved: Envelope[] = [];
      const send = sender(a, resolved);
      for (let i = 0; i < 5; i++) await send(i);
      const snapshot = await redis.save();
      for (let i = 5; i < 10; i++) await send(i);
      expect(await eventually(() => watched.position?.seq === 10, 5000)).toBe(true);
      await redis.restart({ kill: true, from: snapshot });
      const next = await send(10);
      expect([next.epoch === resolved[0]?.epoch, next.seq]).toEqual([false, 1]);
      expect(await eventually(() => resumedAfterTold(watched), 10_000)).toBe(true);
      const last = await send(11);
      expect(await eventually(() => watched.position?.seq === last.seq, 5000)).toBe(true);
      expect(audit([watched], new Map([['alice', resolved]]))).toEqual([]);
    });
  });

  it('refuses a losslessRestarts that is not a boolean', () => {
    expect(
      () => new RedisDeliveryAdapter({ losslessRestarts: 'yes' as unknown as boolean }),
    ).toThrow(OptionError);
  });
});
