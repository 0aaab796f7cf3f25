// bench/delivery: per-user JSON delivery to 100 loopback clients through WebSocketManager,
// against a raw ws `Map<userId, Set<ws>>` loop and against socket.io (a room per user), in the
// same script with the same clients (socket.io-client over its websocket transport for socket.io).
// Prints ceilings (msg/s, the contenders taking turns), p50/p99 at fixed rates, memory per idle
// connection, and the ratios.
// Loopback only; every phase is bounded in count and time. Run: npm run bench:delivery
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { socketIoNode } from './socket-io-node';
import { atRate, ceiling, Clients, USERS, users, type ClientMode, type Sender } from './harness';

const CEILING_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 300_000);
const CEILING_ROUNDS = 3;
const RATES = [25_000, 50_000, 100_000];
const RATE_SECONDS = 2;
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE ?? 1000);

/** A server to measure: where its clients connect, how it sends, how it stops. */
interface Contender extends Sender {
  name: string;
  url: string;
  /** How the clients connect to it. */
  mode: ClientMode;
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
    mode: 'ws',
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
    // Every bench client comes from 127.0.0.1, as behind a proxy: admit them all.
    maxConnectionsPerAddress: Math.max(USERS, IDLE_CONNECTIONS),
  });
  await instance.ready();
  return {
    name: 'WebSocketManager',
    mode: 'ws',
    url: `ws://127.0.0.1:${instance.address().port}/ws`,
    send(userId, payload) {
      void instance.forUser(userId).send('tick', payload);
    },
    close: () => instance.close(),
  };
}

/** socket.io as its users deliver per user (bench/socket-io-node.ts), on the same clients. */
async function socketIo(): Promise<Contender> {
  const node = await socketIoNode();
  return {
    name: 'socket.io',
    mode: 'socket.io',
    url: node.url,
    send(userId, payload) {
      node.io.to(userId).emit('tick', payload);
    },
    close: () => node.close(),
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
  await clients.connect(
    contender.url,
    Array.from({ length: IDLE_CONNECTIONS }, (_, i) => `idle${i}`),
    contender.mode,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = heapAndExternal();
  await clients.close();
  await clients.terminate();
  await contender.close();
  return (after - before) / IDLE_CONNECTIONS;
}

/**
 * Ceilings and fixed-rate latencies of every contender, each with its own clients, all connected
 * at once and measured in turns: a burst of load from elsewhere on the machine then lowers one
 * round of each rather than every figure of one contender. The ceiling is the best round.
 */
async function measureAll(makers: (() => Promise<Contender>)[]) {
  const runs = [];
  for (const make of makers) {
    const contender = await make();
    const clients = new Clients();
    await clients.connect(contender.url, users, contender.mode);
    await ceiling(contender, clients, CEILING_MESSAGES); // warm-up: JIT and socket buffers
    runs.push({ contender, clients, rounds: [] as number[], latencies: [] as Latency[] });
  }
  for (let round = 0; round < CEILING_ROUNDS; round++)
    for (const run of runs)
      run.rounds.push(await ceiling(run.contender, run.clients, CEILING_MESSAGES));
  for (const rate of RATES)
    for (const run of runs)
      run.latencies.push({
        rate,
        ...(await atRate(run.contender, run.clients, rate, RATE_SECONDS)),
      });
  for (const { contender, clients } of runs) {
    await clients.close();
    await clients.terminate();
    await contender.close();
  }
  return runs.map(({ contender, rounds, latencies }) => ({
    name: contender.name,
    ceiling: Math.max(...rounds),
    rounds,
    latencies,
  }));
}

interface Latency {
  rate: number;
  p50: number;
  p99: number;
  count: number;
}

type Measured = Awaited<ReturnType<typeof measureAll>>[number];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function printCeilings(raw: Measured, managed: Measured, sio: Measured): void {
  const rounds = (m: Measured) => m.rounds.map((r) => fmt(r)).join(', ');
  console.log(`ceiling (msg/s), best of ${CEILING_ROUNDS} rounds taken in turns`);
  console.log(`  raw ws            ${fmt(raw.ceiling).padStart(8)}   rounds ${rounds(raw)}`);
  console.log(
    `  WebSocketManager  ${fmt(managed.ceiling).padStart(8)}   rounds ${rounds(managed)}   vs raw ws ${ratio(managed.ceiling, raw.ceiling)} (target >= 0.85x)`,
  );
  console.log(
    `  socket.io         ${fmt(sio.ceiling).padStart(8)}   rounds ${rounds(sio)}   manager vs socket.io ${ratio(managed.ceiling, sio.ceiling)} (target >= 1.4x)`,
  );
}

function printLatencies(raw: Measured, managed: Measured, sio: Measured): void {
  console.log(
    '\nlatency at fixed rates (ms)          p50      p99   p99 vs raw ws (manager: target <= 2x at 100k)',
  );
  for (let i = 0; i < RATES.length; i++) {
    const base = raw.latencies[i];
    if (!base) continue;
    for (const contender of [raw, managed, sio]) {
      const l = contender.latencies[i];
      if (!l) continue;
      const vs = contender === raw ? '' : `   ${ratio(l.p99, base.p99)}`;
      console.log(
        `  ${fmt(RATES[i] ?? 0).padStart(7)} msg/s ${contender.name.padEnd(17)} ${l.p50.toFixed(2).padStart(6)}  ${l.p99.toFixed(2).padStart(7)}${vs}`,
      );
    }
  }
}

async function main(): Promise<void> {
  if (!global.gc)
    console.warn('run with --expose-gc for stable memory figures (npm run bench:delivery does)');
  console.log(
    `per-user JSON delivery, ${USERS} loopback clients in a worker thread, node ${process.version}\n`,
  );
  const [raw, managed, sio] = (await measureAll([rawWs, manager, socketIo])) as [
    Measured,
    Measured,
    Measured,
  ];
  const rawIdle = await idleMemory(rawWs);
  const managedIdle = await idleMemory(manager);
  const sioIdle = await idleMemory(socketIo);

  printCeilings(raw, managed, sio);
  printLatencies(raw, managed, sio);
  console.log(`\nmemory per idle connection (heap + external, ${IDLE_CONNECTIONS} connections)`);
  console.log(`  raw ws            ${fmt(rawIdle).padStart(6)} B`);
  console.log(
    `  WebSocketManager  ${fmt(managedIdle).padStart(6)} B   vs raw ws ${fmt(managedIdle - rawIdle)} B (target <= 2048 B)`,
  );
  console.log(
    `  socket.io         ${fmt(sioIdle).padStart(6)} B   vs raw ws ${fmt(sioIdle - rawIdle)} B`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
