// bench/cluster: per-user delivery through two nodes and Redis (publish on node A, 100 clients on
// node B) against one node in memory, with the same loopback clients: msg/s, p50/p99 at a fixed
// rate, and the ratios. Starts its own redis-server on a free loopback port and stops it.
// Bounded in messages and time. Run: npm run bench:cluster
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { RedisDeliveryAdapter } from '../src/scale/redis-adapter';
import { RedisServer } from '../test/scale/redis-server';
import { atRate, ceiling, Clients, USERS, users, type Sender } from './harness';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 10_000);
const SECONDS = 3;

async function node(adapter?: RedisDeliveryAdapter): Promise<WebSocketManager> {
  const manager = new WebSocketManager({
    port: 0,
    host: '127.0.0.1',
    register: false,
    authenticate: devAuthenticate,
    ...(adapter ? { adapter } : {}),
  });
  await manager.ready();
  return manager;
}

async function measure(name: string, publisher: WebSocketManager, receiver: WebSocketManager) {
  const clients = new Clients();
  await clients.request(
    { cmd: 'connect', url: `ws://127.0.0.1:${receiver.address().port}/ws`, users },
    'connected',
  );
  const sender: Sender = {
    send: (userId, payload) => void publisher.forUser(userId).send('tick', payload),
  };
  await ceiling(sender, clients, Math.min(MESSAGES, 20_000)); // warm-up
  const msgs = await ceiling(sender, clients, MESSAGES);
  const latency = await atRate(sender, clients, RATE, SECONDS);
  await clients.request({ cmd: 'close' }, 'closed');
  await clients.terminate();
  return { name, msgs, ...latency };
}

async function main(): Promise<void> {
  console.log(`per-user delivery to ${USERS} loopback clients, node ${process.version}\n`);
  const single = await node();
  const memory = await measure('one node, in memory', single, single);
  await single.close();

  const redis = await RedisServer.start();
  try {
    const a = await node(new RedisDeliveryAdapter({ url: redis.url }));
    const b = await node(new RedisDeliveryAdapter({ url: redis.url }));
    const cluster = await measure('two nodes + Redis (A → B)', a, b);
    await Promise.all([a.close(), b.close()]);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `                                 msg/s    p50 ms   p99 ms   (at ${fmt(RATE)} msg/s)`,
    );
    for (const r of [memory, cluster])
      console.log(
        `  ${r.name.padEnd(28)} ${fmt(r.msgs).padStart(8)}  ${r.p50.toFixed(2).padStart(7)}  ${r.p99.toFixed(2).padStart(7)}`,
      );
    console.log(
      `\n  cluster / single: ${(cluster.msgs / memory.msgs).toFixed(2)}x the throughput, ${(cluster.p99 / memory.p99).toFixed(2)}x the p99`,
    );
  } finally {
    await redis.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
