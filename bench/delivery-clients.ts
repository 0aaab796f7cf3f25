// Worker thread of bench/delivery: the loopback clients, on their own core, so that the server
// thread measures only the server. Counts every frame in shared memory; samples latency on demand.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

export type ClientCommand =
  | { cmd: 'connect'; url: string; users: string[] }
  | { cmd: 'latency-start' }
  | { cmd: 'latency-stop' }
  | { cmd: 'close' };

const counter = new Int32Array(workerData.counter as SharedArrayBuffer);
let sockets: WebSocket[] = [];
let samples: number[] | undefined;

function onMessage(data: WebSocket.RawData): void {
  const frame = JSON.parse(data.toString()) as { payload?: { t?: number } };
  const sentAt = frame.payload?.t;
  if (sentAt === undefined) return; // welcome and other control frames
  if (samples) samples.push(Number(process.hrtime.bigint()) / 1e6 - sentAt);
  Atomics.add(counter, 0, 1);
}

async function connect(url: string, users: string[]): Promise<void> {
  const opened: Promise<void>[] = [];
  for (const user of users) {
    const socket = new WebSocket(`${url}?token=dev:${user}`);
    socket.on('message', onMessage);
    socket.on('error', () => undefined);
    opened.push(
      new Promise(
        (resolve, reject) => (socket.once('open', () => resolve()), socket.once('error', reject)),
      ),
    );
    sockets.push(socket);
  }
  await Promise.all(opened);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

parentPort?.on('message', async (command: ClientCommand) => {
  switch (command.cmd) {
    case 'connect':
      await connect(command.url, command.users);
      parentPort?.postMessage({ cmd: 'connected' });
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
      await Promise.all(
        sockets.map(
          (socket) => new Promise((resolve) => (socket.once('close', resolve), socket.close())),
        ),
      );
      sockets = [];
      parentPort?.postMessage({ cmd: 'closed' });
      break;
  }
});
