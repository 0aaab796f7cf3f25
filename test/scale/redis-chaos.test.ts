import type { Envelope } from '../../src/protocol/envelope';
import { RedisDeliveryAdapter } from '../../src/scale/redis-adapter';
import { delay, seeded, startManager, useCleanup } from '../helpers';
import { RedisServer } from './redis-server';
import { audit, eventually, WatchedClient } from './stream-audit';

// Replay a failure with UWS_CHAOS_SEED=<seed> npx jest test/scale/redis-chaos.test.ts
const SEED = Number(process.env.UWS_CHAOS_SEED ?? 1);
const USERS = 10;
const STEPS = 400;
/** Wall time of the chaos itself; convergence and the audit come after. */
const CHAOS_MS = 20_000;
const RESTARTS = 3;

describe('Redis chaos: three nodes, one redis-server restarted from older snapshots (seeded)', () => {
  const defer = useCleanup();

  it(`seed ${SEED}: no cross-user delivery, no seq handed out twice, every gap announced`, async () => {
    // One stream of numbers for the plan, one per client for its jitter and node picks: the plan
    // depends on the seed only, not on how the clients' draws interleave with it in time.
    const random = seeded(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const redis = await RedisServer.start('rdb');
    defer(() => redis.dispose());
    const nodes: Awaited<ReturnType<typeof startManager>>[] = [];
    for (let i = 0; i < 3; i++)
      nodes.push(
        await startManager(defer, { adapter: new RedisDeliveryAdapter({ url: redis.url }) }),
      );
    const users = Array.from({ length: USERS }, (_, i) => `u${i}`);
    const clients: WatchedClient[] = [];
    const open = async (user: string) => {
      const clientRandom = seeded(SEED * 7919 + clients.length + 1);
      // Every connection attempt lands on a node at random, as behind a load balancer.
      const watched = new WatchedClient(
        user,
        () => (nodes[Math.floor(clientRandom() * nodes.length)] as { url: string }).url,
        clientRandom,
      );
      clients.push(watched);
      defer(() => watched.close());
      await watched.connect();
    };
    for (const user of users) for (let tab = 0; tab < 2; tab++) await open(user);

    const resolved = new Map<string, Envelope[]>(users.map((user) => [user, []]));
    const sends: Promise<unknown>[] = [];
    const send = (user: string, node: (typeof nodes)[number], n: number) =>
      sends.push(
        node.manager
          .forUser(user)
          .send('note', { user, n })
          .then((envelope) => resolved.get(user)?.push(envelope)),
      );
    const snapshots = [await redis.save()];
    const closed = new Set<WatchedClient>();
    const done = { restarts: 0, kills: 0, tabs: 0 };
    const started = Date.now();
    for (let step = 0; step < STEPS && Date.now() - started < CHAOS_MS; step++) {
      const roll = random();
      if (roll < 0.6) {
        const user = pick(users);
        const node = pick(nodes);
        const count = 1 + Math.floor(random() * 4);
        for (let k = 0; k < count; k++) send(user, node, step * 10 + k);
      } else if (roll < 0.68) snapshots.push(await redis.save());
      else if (roll < 0.71 && done.restarts < RESTARTS) {
        // kill -9, and back from a snapshot at least one save old: everything since is lost.
        done.restarts++;
        await redis.restart({ kill: true, from: pick(snapshots) });
      } else if (roll < 0.82) {
        const victim = pick(clients.filter((c) => !closed.has(c)));
        victim.kill();
        done.kills++;
      } else if (roll < 0.87) {
        const victim = pick(clients.filter((c) => !closed.has(c)));
        victim.close();
        closed.add(victim);
        await open(victim.user);
        done.tabs++;
      }
      // Traffic keeps flowing while nodes reconnect, clients resume and Redis comes back.
      await delay(random() * 40);
    }
    if (done.restarts === 0) {
      done.restarts++;
      await redis.restart({ kill: true, from: pick(snapshots) });
    }
    // A send Redis was down too long for may reject (ioredis gave up): it never resolved, so no
    // client owes it. Every other send has resolved with its epoch and seq.
    await Promise.allSettled(sends);

    // A last send per user, then every open client must reach its user's head.
    for (const user of users) {
      const envelope = await (nodes[0] as (typeof nodes)[number]).manager
        .forUser(user)
        .send('note', { user, n: 'last' });
      resolved.get(user)?.push(envelope);
    }
    const heads = new Map<string, string>();
    for (const user of users) {
      const head = await (nodes[0] as (typeof nodes)[number]).manager.adapter.position(user);
      heads.set(user, `${head.epoch}#${head.seq}`);
    }
    const open_ = clients.filter((c) => !closed.has(c));
    const at = (c: WatchedClient) => `${c.position?.epoch}#${c.position?.seq}`;
    const converged = await eventually(
      () => open_.every((c) => c.client.connected && at(c) === heads.get(c.user)),
      15_000,
    );
    const behind = open_
      .filter((c) => at(c) !== heads.get(c.user))
      .map((c) => `${c.user} at ${at(c)} of ${heads.get(c.user)}: ${c.story()}`);
    expect({ seed: SEED, converged, behind }).toEqual({ seed: SEED, converged: true, behind: [] });

    expect({ seed: SEED, problems: audit(clients, resolved) }).toEqual({
      seed: SEED,
      problems: [],
    });
    // The run did what it is for: Redis went back in time under live traffic, clients were told.
    expect(done.restarts).toBeGreaterThan(0);
    expect(clients.reduce((sum, c) => sum + c.told(), 0)).toBeGreaterThan(0);
    expect([...resolved.values()].reduce((sum, list) => sum + list.length, 0)).toBeGreaterThan(100);
    console.log(
      `chaos seed ${SEED}: ${done.restarts} restarts from older snapshots, ${done.kills} clients killed, ${done.tabs} tabs replaced, ${[...resolved.values()].reduce((s, l) => s + l.length, 0)} sends resolved, ${clients.reduce((s, c) => s + c.told(), 0)} tells, ${Math.round((Date.now() - started) / 100) / 10} s`,
    );
  }, 60_000);
});
