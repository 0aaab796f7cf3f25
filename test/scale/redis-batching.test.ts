import Redis from 'ioredis';
import type { StoredEnvelope } from '../../src/scale/delivery-adapter';
import { BATCH_DEFAULTS } from '../../src/scale/redis-batcher';
import { RedisDeliveryAdapter } from '../../src/scale/redis-adapter';
import { createEnvelope } from '../../src/scale/user-stream';
import { eventually } from './stream-audit';
import { useCleanup } from '../helpers';
import { RedisServer } from './redis-server';

/** The publishes of one tick go as one script call: this counts the calls Redis ran. */
async function scriptCalls(admin: Redis): Promise<number> {
  const stats = await admin.info('commandstats');
  let calls = 0;
  for (const [, count] of stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g))
    calls += Number(count);
  return calls;
}

describe('RedisDeliveryAdapter publishes in batches (one script call per tick)', () => {
  const defer = useCleanup();

  async function setup() {
    const redis = await RedisServer.start();
    defer(() => redis.dispose());
    const publisher = new RedisDeliveryAdapter({ url: redis.url });
    const node = new RedisDeliveryAdapter({ url: redis.url });
    defer(() => Promise.all([publisher.close(), node.close()]));
    const delivered: StoredEnvelope[] = [];
    await publisher.start(() => undefined);
    await node.start((stored) => delivered.push(stored));
    const admin = new Redis(redis.url);
    defer(() => admin.quit());
    return { redis, publisher, node, delivered, admin };
  }

  it('sends one tick’s publishes to several users as one call, each caller getting its own envelope, in each user’s order, byte for byte', async () => {
    const { publisher, node, delivered, admin } = await setup();
    const users = ['alice', 'bob', 'carol'];
    for (const user of users) await node.subscribe(user);
    const before = await scriptCalls(admin);
    // Interleaved users, a runId, and text that JSON must escape (a newline, quotes, non-ASCII).
    const messages = Array.from({ length: 30 }, (_, i) => ({
      user: users[i % 3] as string,
      message: {
        type: 'note',
        ...(i % 4 === 0 ? { runId: `run-${i}` } : {}),
        payload: { i, text: `line\n"${i}" héllo ✓` },
      },
    }));
    const results = await Promise.all(messages.map((m) => publisher.publish(m.user, m.message)));
    expect((await scriptCalls(admin)) - before).toBe(1);
    for (const user of users) {
      const mine = results.filter((r) => r.envelope.userId === user);
      expect(mine.map((r) => r.envelope.seq)).toEqual(Array.from({ length: 10 }, (_, k) => k + 1));
      expect(mine.map((r) => (r.envelope.payload as { i: number }).i)).toEqual(
        messages.filter((m) => m.user === user).map((m) => m.message.payload.i),
      );
    }
    // What the subscribed node got is the same frames, in the same order, as the senders' own
    // encoding of their envelopes: one pub/sub message per user carried them all.
    expect(await eventually(() => delivered.length === 30, 5000)).toBe(true);
    for (const user of users) {
      const frames = delivered.filter((d) => d.envelope.userId === user).map((d) => d.frame);
      const expected = results
        .filter((r) => r.envelope.userId === user)
        .map(
          ({ envelope }) =>
            createEnvelope(user, envelope, envelope.seq, envelope.epoch, envelope.ts).frame,
        );
      expect(frames).toEqual(expected);
    }
  });

  it('rejects only the envelopes Redis refused, with Redis’s own error; the rest of the batch goes through', async () => {
    const { publisher, node, delivered, admin } = await setup();
    await node.subscribe('alice');
    await publisher.publish('broken', { type: 'note', payload: 0 });
    await publisher.publish('broken', { type: 'note', payload: 1 });
    // A state behind its stream: appending seq 1 again is refused, envelope by envelope. (The
    // batch goes through `node`, which never saw seq 2 of it: the publisher would take its own
    // witness as proof of a rewind and start a new epoch instead.)
    await admin.hset('uws:{broken}:state', 'seq', 0);
    // A state that is not a hash: the user's envelopes cannot even start.
    await admin.set('uws:{garbled}:state', 'not a hash');
    const before = await scriptCalls(admin);
    const outcomes = await Promise.allSettled([
      node.publish('alice', { type: 'note', payload: 'a1' }),
      node.publish('broken', { type: 'note', payload: 'b1' }),
      node.publish('garbled', { type: 'note', payload: 'g1' }),
      node.publish('alice', { type: 'note', payload: 'a2' }),
      node.publish('broken', { type: 'note', payload: 'b2' }),
    ]);
    expect((await scriptCalls(admin)) - before).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : ''));
    expect(reasons[1]).toMatch(/equal or smaller/);
    expect(reasons[4]).toMatch(/equal or smaller/);
    expect(reasons[2]).toMatch(/WRONGTYPE/);
    expect(await eventually(() => delivered.length === 2, 5000)).toBe(true);
    expect(delivered.map((d) => [d.envelope.payload, d.envelope.seq])).toEqual([
      ['a1', 1],
      ['a2', 2],
    ]);
  });

  it('splits a tick with more than maxEnvelopes publishes into calls back to back, keeping each user’s order', async () => {
    const { publisher, node, delivered, admin } = await setup();
    await node.subscribe('alice');
    await node.subscribe('bob');
    const total = BATCH_DEFAULTS.maxEnvelopes * 2 + 10;
    const before = await scriptCalls(admin);
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        publisher.publish(i % 2 ? 'bob' : 'alice', { type: 'note', payload: i }),
      ),
    );
    expect((await scriptCalls(admin)) - before).toBe(3);
    for (const user of ['alice', 'bob']) {
      const mine = results.filter((r) => r.envelope.userId === user);
      expect(mine.map((r) => r.envelope.seq)).toEqual(mine.map((_, k) => k + 1));
    }
    expect(await eventually(() => delivered.length === total, 5000)).toBe(true);
    for (const user of ['alice', 'bob'])
      expect(
        delivered.filter((d) => d.envelope.userId === user).map((d) => d.envelope.payload),
      ).toEqual(results.filter((r) => r.envelope.userId === user).map((r) => r.envelope.payload));
  });

  it('while two calls are unanswered, later publishes wait and go together in one call', async () => {
    const { publisher, admin } = await setup();
    const before = await scriptCalls(admin);
    // Redis holds every client's commands for a while: the first two calls stay unanswered.
    await admin.client('PAUSE', 300, 'ALL');
    const sent = [publisher.publish('alice', { type: 'note', payload: 0 })];
    await new Promise((resolve) => setImmediate(resolve));
    sent.push(publisher.publish('alice', { type: 'note', payload: 1 }));
    for (let tick = 2; tick < 12; tick++) {
      await new Promise((resolve) => setImmediate(resolve));
      sent.push(publisher.publish(tick % 2 ? 'alice' : 'bob', { type: 'note', payload: tick }));
    }
    const results = await Promise.all(sent);
    expect((await scriptCalls(admin)) - before).toBe(3);
    expect(results.filter((r) => r.envelope.userId === 'alice').map((r) => r.envelope.seq)).toEqual(
      [1, 2, 3, 4, 5, 6, 7],
    );
    expect(
      results.filter((r) => r.envelope.userId === 'bob').map((r) => r.envelope.payload),
    ).toEqual([2, 4, 6, 8, 10]);
  });

  it('rejects every caller of a batch whose call failed', async () => {
    const redis = await RedisServer.start();
    defer(() => redis.dispose());
    const publisher = new RedisDeliveryAdapter({
      url: redis.url,
      redis: { enableOfflineQueue: false, maxRetriesPerRequest: 0 },
    });
    defer(() => publisher.close());
    await publisher.start(() => undefined);
    await redis.stop();
    const outcomes = await Promise.allSettled(
      ['alice', 'bob', 'alice'].map((user) =>
        publisher.publish(user, { type: 'note', payload: 1 }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
