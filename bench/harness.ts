// The shared harness of the delivery benchmarks: loopback clients in a worker thread, counting in
// shared memory, and the ceiling / fixed-rate measurements. Every phase is bounded.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientCommand, ClientMode } from './delivery-clients';

export type { ClientMode } from './delivery-clients';

/** What a contender must do: send one JSON message to one user. */
export interface Sender {
  send(userId: string, payload: { t: number; n: number }): void;
}

export const USERS = 100;
export const WINDOW = 4_000; // messages in flight at most: keeps memory bounded while saturating
export const users = Array.from({ length: USERS }, (_, i) => `user${i}`);
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Clients {
  readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker = new Worker(join(__dirname, 'delivery-clients.js'), {
    workerData: { counter: this.counter.buffer },
  });

  /** Sends a command to the worker and waits for its `answer`; rejects if the worker reports 'failed'. */
  request<T>(command: ClientCommand, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = (message: { cmd: string; message?: string }) => {
        if (message.cmd !== answer && message.cmd !== 'failed') return;
        this.worker.off('message', listener);
        if (message.cmd === 'failed') reject(new Error(`bench clients: ${message.message}`));
        else resolve(message as T);
      };
      this.worker.on('message', listener);
      this.worker.postMessage(command);
    });
  }

  /**
   * Opens one client per user, all in `mode`: 'ws' to a ws:// URL with `?token=dev:<user>`,
   * 'socket.io' to an http:// URL with `auth: { token: 'dev:<user>' }` (websocket transport only).
   */
  connect(url: string, users: readonly string[], mode: ClientMode = 'ws'): Promise<void> {
    return this.request({ cmd: 'connect', url, users: [...users], mode }, 'connected');
  }

  /** Closes every client and waits until each has closed. */
  close(): Promise<void> {
    return this.request({ cmd: 'close' }, 'closed');
  }

  get received(): number {
    return Atomics.load(this.counter, 0);
  }

  reset(): void {
    Atomics.store(this.counter, 0, 0);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** msg/s of `total` messages sent as fast as the window allows, until all were received. */
export async function ceiling(contender: Sender, clients: Clients, total: number): Promise<number> {
  clients.reset();
  let sent = 0;
  const started = nowMs();
  const deadline = started + 60_000;
  while (clients.received < total && nowMs() < deadline) {
    while (sent < total && sent - clients.received < WINDOW) {
      contender.send(users[sent % USERS] as string, { t: nowMs(), n: sent });
      sent++;
    }
    await tick();
  }
  return (clients.received / (nowMs() - started)) * 1000;
}

/** p50/p99 latency of messages sent at a fixed rate for `seconds`. */
export async function atRate(
  contender: Sender,
  clients: Clients,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; count: number }> {
  await clients.request({ cmd: 'latency-start' }, 'latency-started');
  let sent = 0;
  const started = nowMs();
  while (nowMs() - started < seconds * 1000) {
    const due = Math.floor(((nowMs() - started) / 1000) * rate);
    while (sent < due) {
      contender.send(users[sent % USERS] as string, { t: nowMs(), n: sent });
      sent++;
    }
    await tick();
  }
  const settle = nowMs() + 2000;
  while (clients.received < sent && nowMs() < settle) await tick();
  return clients.request({ cmd: 'latency-stop' }, 'latency');
}
