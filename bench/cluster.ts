// bench/cluster: per-user delivery through two nodes and Redis (publish on node A, 100 clients on
// node B) against one node in memory, and against socket.io's own two-node setup on the same
// redis-server (@socket.io/redis-streams-adapter, a room per user), with the same loopback clients
// and messages: msg/s (the median of three ceilings), p50/p99 at a fixed rate, and the ratios.
// Starts its own redis-server on a free loopback port and stops it. Bounded in messages and time.
// Run: npm run bench:cluster
import Redis from 'ioredis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { RedisDeliveryAdapter } from '../src/scale/redis-adapter';
import { RedisServer } from '../test/scale/redis-server';
import {
  atRate,
  ceiling,
  Clients,
  nowMs,
  USERS,
  users,
  type ClientMode,
  type Sender,
} from './harness';
import { socketIoNode } from './socket-io-node';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 10_000);
const SECONDS = 3;

/** One way of delivering per user: where the clients connect, how a message is sent. */
interface Contender {
  name: string;
  sender: Sender;
  /** The receiving node's address, in the clients' `mode`. */
  url: string;
  mode: ClientMode;
  close(): Promise<void>;
}

async function manager(adapter?: RedisDeliveryAdapter): Promise<WebSocketManager> {
  const node = new WebSocketManager({
    port: 0,
    host: '127.0.0.1',
    register: false,
    authenticate: devAuthenticate,
    // Every bench client comes from 127.0.0.1.
    maxConnectionsPerAddress: USERS,
    ...(adapter ? { adapter } : {}),
  });
  await node.ready();
  return node;
}

const wsUrl = (node: WebSocketManager) => `ws://127.0.0.1:${node.address().port}/ws`;
const sendVia = (node: WebSocketManager): Sender => ({
  send: (userId, payload) => void node.forUser(userId).send('tick', payload),
});

async function singleNode(): Promise<Contender> {
  const node = await manager();
  return {
    name: 'unified-ws, one node',
    sender: sendVia(node),
    url: wsUrl(node),
    mode: 'ws',
    close: () => node.close(),
  };
}

async function unifiedCluster(redis: RedisServer): Promise<Contender> {
  const a = await manager(new RedisDeliveryAdapter({ url: redis.url }));
  const b = await manager(new RedisDeliveryAdapter({ url: redis.url }));
  return {
    name: 'unified-ws, A → Redis → B',
    sender: sendVia(a),
    url: wsUrl(b),
    mode: 'ws',
    close: async () => void (await Promise.all([a.close(), b.close()])),
  };
}

/**
 * socket.io as its users scale it out: each node on the Redis Streams adapter (every broadcast is
 * appended to one stream that every node reads), two nodes of bench/socket-io-node.ts, a message
 * sent on node A to clients on node B.
 */
async function socketIoCluster(redis: RedisServer): Promise<Contender> {
  const clients = [new Redis(redis.url), new Redis(redis.url)];
  const [a, b] = await Promise.all(clients.map((client) => socketIoNode(createAdapter(client))));
  if (!a || !b) throw new Error('socket.io nodes did not start');
  return {
    name: 'socket.io, A → Redis → B',
    sender: { send: (userId, payload) => void a.io.to(userId).emit('tick', payload) },
    url: b.url,
    mode: 'socket.io',
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      for (const client of clients) client.disconnect();
    },
  };
}

/**
 * Sends one message per user until all of them arrive. The clients count as connected at their
 * WebSocket's open, but a node welcomes a connection only once its subscription to the user is in
 * place, and a message sent before that is, rightly, not that connection's: measuring at once
 * would wait for messages that never come.
 */
async function settle(sender: Sender, clients: Clients): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    clients.reset();
    for (const user of users) sender.send(user, { t: nowMs(), n: -1 });
    const deadline = nowMs() + 200;
    while (clients.received < USERS && nowMs() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    if (clients.received >= USERS) return;
  }
  throw new Error('the clients never all received their messages');
}

async function measure(contender: Contender) {
  const clients = new Clients();
  try {
    await clients.connect(contender.url, users, contender.mode);
    await settle(contender.sender, clients);
    await ceiling(contender.sender, clients, Math.min(MESSAGES, 20_000)); // warm-up
    // The median of three: on a shared machine one ceiling can land on a busy second.
    const ceilings: number[] = [];
    for (let i = 0; i < 3; i++) ceilings.push(await ceiling(contender.sender, clients, MESSAGES));
    const msgs = ceilings.sort((x, y) => x - y)[1] as number;
    const latency = await atRate(contender.sender, clients, RATE, SECONDS);
    await clients.close();
    return { name: contender.name, msgs, ...latency };
  } finally {
    await clients.terminate();
    await contender.close();
  }
}

async function main(): Promise<void> {
  console.log(`per-user delivery to ${USERS} loopback clients, node ${process.version}\n`);
  const redis = await RedisServer.start();
  try {
    const single = await measure(await singleNode());
    const cluster = await measure(await unifiedCluster(redis));
    const peer = await measure(await socketIoCluster(redis));
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `                                   msg/s    p50 ms   p99 ms   (at ${fmt(RATE)} msg/s)`,
    );
    for (const r of [single, cluster, peer])
      console.log(
        `  ${r.name.padEnd(30)} ${fmt(r.msgs).padStart(8)}  ${r.p50.toFixed(2).padStart(7)}  ${r.p99.toFixed(2).padStart(7)}`,
      );
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(
      `\n  unified-ws two nodes / one node:        ${ratio(cluster.msgs, single.msgs)} the throughput (target >= 0.5x), ${ratio(cluster.p99, single.p99)} the p99`,
    );
    console.log(
      `  unified-ws two nodes / socket.io two:   ${ratio(cluster.msgs, peer.msgs)} the throughput (target > 1x), ${ratio(cluster.p99, peer.p99)} the p99`,
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
