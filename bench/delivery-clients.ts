// Worker thread of the delivery benchmarks: the loopback clients, on their own core, so that the
// server thread measures only the server. Counts every tick frame in shared memory; samples latency
// on demand. Two modes with the same counting and sampling, so contenders are compared on equal
// terms: 'ws' (a plain WebSocket per user, token in the query, as the manager and the raw loop
// expect) and 'socket.io' (socket.io-client, websocket transport only, token in the handshake's
// auth, counting only 'tick' events).
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';

/** How the clients connect: plain WebSocket, or socket.io-client over its websocket transport. */
export type ClientMode = 'ws' | 'socket.io';

export type ClientCommand =
  /**
   * `url`: ws://host:port/path for 'ws' (the token goes in `?token=`); http://host:port for
   * 'socket.io' (default path /socket.io/, main namespace). `mode` defaults to 'ws'.
   */
  | { cmd: 'connect'; url: string; users: string[]; mode?: ClientMode }
  | { cmd: 'latency-start' }
  | { cmd: 'latency-stop' }
  | { cmd: 'close' };

/** One connected client, whatever its mode: how to close it and learn that it closed. */
interface Client {
  close(): Promise<void>;
}

const counter = new Int32Array(workerData.counter as SharedArrayBuffer);
let clients: Client[] = [];
let samples: number[] | undefined;

/** Counts one tick and samples its latency from the send time it carries. */
function onTick(sentAt: number): void {
  if (samples) samples.push(Number(process.hrtime.bigint()) / 1e6 - sentAt);
  Atomics.add(counter, 0, 1);
}

function onMessage(data: WebSocket.RawData): void {
  const frame = JSON.parse(data.toString()) as { payload?: { t?: number } };
  const sentAt = frame.payload?.t;
  if (sentAt === undefined) return; // welcome and other control frames
  onTick(sentAt);
}

function connectWs(url: string, user: string): Promise<Client> {
  const socket = new WebSocket(`${url}?token=dev:${user}`);
  socket.on('message', onMessage);
  socket.on('error', () => undefined);
  const client: Client = {
    close: () =>
      new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

function connectSocketIo(url: string, user: string): Promise<Client> {
  // forceNew: one engine (one WebSocket) per user, as in 'ws' mode; no reconnection, so a
  // refused or dropped client shows as an error instead of a retry loop.
  const socket: Socket = io(url, {
    transports: ['websocket'],
    auth: { token: `dev:${user}` },
    forceNew: true,
    reconnection: false,
  });
  socket.on('tick', (payload: { t: number }) => onTick(payload.t));
  const client: Client = {
    close: () =>
      new Promise((resolve) => {
        const engine = socket.io.engine;
        if (!engine || engine.readyState === 'closed') return resolve();
        engine.once('close', () => resolve());
        socket.disconnect(); // the only socket of its manager: the engine closes with it
      }),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', reject);
  });
}

async function connect(url: string, users: string[], mode: ClientMode): Promise<void> {
  const open = mode === 'socket.io' ? connectSocketIo : connectWs;
  clients.push(...(await Promise.all(users.map((user) => open(url, user)))));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

parentPort?.on('message', async (command: ClientCommand) => {
  switch (command.cmd) {
    case 'connect':
      try {
        await connect(command.url, command.users, command.mode ?? 'ws');
        parentPort?.postMessage({ cmd: 'connected' });
      } catch (error) {
        // Answered, not thrown: the waiting request fails at once instead of hanging.
        parentPort?.postMessage({ cmd: 'failed', message: String(error) });
      }
      break;
    case 'latency-start':
      samples = [];
      parentPort?.postMessage({ cmd: 'latency-started' });
      break;
    case 'latency-stop': {
      const sorted = (samples ?? []).sort((a, b) => a - b);
      samples = undefined;
      parentPort?.postMessage({
        cmd: 'latency',
        count: sorted.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
      });
      break;
    }
    case 'close':
      await Promise.all(clients.map((client) => client.close()));
      clients = [];
      parentPort?.postMessage({ cmd: 'closed' });
      break;
  }
});
