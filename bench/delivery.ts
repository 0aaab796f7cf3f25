// bench/delivery: per-user JSON delivery to 100 loopback clients through WebSocketManager,
// against a raw ws `Map<userId, Set<ws>>` loop, in the same script with the same clients.
// Prints ceilings (msg/s), p50/p99 at fixed rates, memory per idle connection, and the ratios.
// Loopback only; every phase is bounded in count and time. Run: npm run bench:delivery
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { atRate, ceiling, Clients, USERS, users, type Sender } from './harness';

const CEILING_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 300_000);
const RATES = [25_000, 50_000, 100_000];
const RATE_SECONDS = 2;
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE ?? 1000);

/** A server to measure: where its clients connect, how it sends, how it stops. */
interface Contender extends Sender {
  name: string;
  url: string;
  close(): Promise<void>;
}

async function rawWs(): Promise<Contender> {
  const server = createServer();
  const wss = new WebSocketServer({ server, path: '/ws' });
  const users = new Map<string, Set<WebSocket>>();
  const seqs = new Map<string, number>();
  wss.on('connection', (socket, request: IncomingMessage) => {
    const userId =
      new URL(request.url ?? '/', 'http://x').searchParams.get('token')?.slice(4) ?? '';
    let set = users.get(userId);
    if (!set) users.set(userId, (set = new Set()));
    set.add(socket);
    socket.on('close', () => set?.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name: 'raw ws',
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`,
    send(userId, payload) {
      const set = users.get(userId);
      if (!set) return;
      const seq = (seqs.get(userId) ?? 0) + 1;
      seqs.set(userId, seq);
      const data = JSON.stringify({ type: 'tick', userId, seq, ts: Date.now(), payload });
      for (const socket of set) socket.send(data);
    },
    async close() {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function manager(): Promise<Contender> {
  const instance = new WebSocketManager({
    port: 0,
    host: '127.0.0.1',
    register: false,
    authenticate: devAuthenticate,
  });
  await instance.ready();
  return {
    name: 'WebSocketManager',
    url: `ws://127.0.0.1:${instance.address().port}/ws`,
    send(userId, payload) {
      void instance.forUser(userId).send('tick', payload);
    },
    close: () => instance.close(),
  };
}

function heapAndExternal(): number {
  global.gc?.();
  global.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

async function idleMemory(make: () => Promise<Contender>): Promise<number> {
  const contender = await make();
  const clients = new Clients();
  const before = heapAndExternal();
  await clients.request(
    {
      cmd: 'connect',
      url: contender.url,
      users: Array.from({ length: IDLE_CONNECTIONS }, (_, i) => `idle${i}`),
    },
    'connected',
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = heapAndExternal();
  await clients.request({ cmd: 'close' }, 'closed');
  await clients.terminate();
  await contender.close();
  return (after - before) / IDLE_CONNECTIONS;
}

async function measure(make: () => Promise<Contender>) {
  const contender = await make();
  const clients = new Clients();
  await clients.request({ cmd: 'connect', url: contender.url, users }, 'connected');
  await ceiling(contender, clients, CEILING_MESSAGES); // warm-up: JIT and socket buffers
  const best = Math.max(
    await ceiling(contender, clients, CEILING_MESSAGES),
    await ceiling(contender, clients, CEILING_MESSAGES),
  );
  const latencies = [];
  for (const rate of RATES)
    latencies.push({ rate, ...(await atRate(contender, clients, rate, RATE_SECONDS)) });
  await clients.request({ cmd: 'close' }, 'closed');
  await clients.terminate();
  await contender.close();
  return { name: contender.name, ceiling: best, latencies };
}

async function main(): Promise<void> {
  if (!global.gc)
    console.warn('run with --expose-gc for stable memory figures (npm run bench:delivery does)');
  console.log(
    `per-user JSON delivery, ${USERS} loopback clients in a worker thread, node ${process.version}\n`,
  );
  const raw = await measure(rawWs);
  const managed = await measure(manager);
  const rawIdle = await idleMemory(rawWs);
  const managedIdle = await idleMemory(manager);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log('ceiling (msg/s)');
  console.log(`  raw ws            ${fmt(raw.ceiling)}`);
  console.log(
    `  WebSocketManager  ${fmt(managed.ceiling)}   ratio ${(managed.ceiling / raw.ceiling).toFixed(2)}x (target >= 0.85x)`,
  );
  console.log(
    '\nlatency at fixed rates (ms)          p50      p99   p99 ratio (target <= 2x at 100k)',
  );
  for (let i = 0; i < RATES.length; i++) {
    const r = raw.latencies[i];
    const m = managed.latencies[i];
    if (!r || !m) continue;
    console.log(
      `  ${fmt(RATES[i] ?? 0).padStart(7)} msg/s raw ws            ${r.p50.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(7)}`,
    );
    console.log(
      `  ${fmt(RATES[i] ?? 0).padStart(7)} msg/s WebSocketManager  ${m.p50.toFixed(2).padStart(6)}  ${m.p99.toFixed(2).padStart(7)}   ${(m.p99 / r.p99).toFixed(2)}x`,
    );
  }
  console.log(`\nmemory per idle connection (heap + external, ${IDLE_CONNECTIONS} connections)`);
  console.log(`  raw ws            ${fmt(rawIdle)} B`);
  console.log(
    `  WebSocketManager  ${fmt(managedIdle)} B   difference ${fmt(managedIdle - rawIdle)} B (target <= 2048 B)`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
