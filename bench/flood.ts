// bench/flood: does one hostile client slow everybody else down? A real WebSocketManager on
// loopback (default limits) with a router that acks; probe users send requests at a steady rate
// and time each ack. Three phases in one run: no flooder (the baseline), a flooder that sends as
// fast as its socket allows and reads everything (reconnecting at once after every close, as a
// hostile client would), and a flooder that stops reading while it floods requests whose handler
// streams output back to it (the slow-consumer path). Probes and flooder are worker threads, so the
// server's event loop is what is measured. Prints p50/p99 per phase and the ratios to the baseline.
// Loopback only; every phase is bounded in time. Run: npm run bench:flood
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { MessageRouter } from '../src/router/message-router';

const PHASE_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 6);
const PROBES = 4;
const PROBE_RATE = 50; // requests per second per probe user: half the default rate limit
const TARGET_P99_MS = 50;
/** What the 'work' handler streams back per request: an agent's burst of output. */
const WORK_FRAMES = 20;
const WORK_BYTES = 4096;

type Mode = 'reading' | 'stalled';

type Command = { cmd: 'start'; mode?: Mode } | { cmd: 'stop' };

interface ProbeReport {
  cmd: 'report';
  samples: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
}

interface FloodReport {
  cmd: 'report';
  sent: number;
  received: number;
  connects: number;
  refused: number;
  closes: Record<string, number>;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function open(url: string, user: string): WebSocket {
  const ws = new WebSocket(`${url}?token=dev:${user}`);
  ws.on('error', () => undefined);
  return ws;
}

// ---------------------------------------------------------------------------------------------
// Probe worker: PROBES users, each sending one 'probe' every 1000 / PROBE_RATE ms, timing its ack.

function probeWorker(url: string): void {
  const sockets = Array.from({ length: PROBES }, (_, i) => open(url, `probe${i}`));
  const pending = new Map<string, number>();
  let samples: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  for (const ws of sockets)
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; id?: string };
      if (frame.type !== 'ack' || frame.id === undefined) return;
      const sentAt = pending.get(frame.id);
      if (sentAt === undefined) return;
      pending.delete(frame.id);
      samples.push(nowMs() - sentAt);
    });
  const opened = Promise.all(
    sockets.map((ws) => new Promise((resolve) => ws.once('message', resolve))), // the welcome
  );
  parentPort?.on('message', async (command: Command) => {
    if (command.cmd === 'start') {
      await opened;
      samples = [];
      pending.clear();
      const interval = 1000 / (PROBE_RATE * PROBES);
      const started = nowMs();
      let sent = 0;
      const tick = () => {
        // Catch up on the schedule rather than drift: a late timer sends what was due.
        const due = Math.floor((nowMs() - started) / interval);
        while (sent < due) {
          const ws = sockets[sent % PROBES] as WebSocket;
          const id = `p${next++}`;
          pending.set(id, nowMs());
          ws.send(JSON.stringify({ type: 'probe', id }));
          sent++;
        }
        timer = setTimeout(tick, interval);
      };
      tick();
      parentPort?.postMessage({ cmd: 'started' });
    } else if (command.cmd === 'stop') {
      clearTimeout(timer);
      // Answers still on their way get a second; what is still missing then is lost.
      const deadline = nowMs() + 1000;
      while (pending.size > 0 && nowMs() < deadline) await new Promise((r) => setTimeout(r, 10));
      const sorted = samples.sort((a, b) => a - b);
      const report: ProbeReport = {
        cmd: 'report',
        samples: sorted.length,
        lost: pending.size,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? NaN,
      };
      parentPort?.postMessage(report);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Flooder worker: one user, one connection at a time, as fast as its socket allows.

function floodWorker(url: string): void {
  let mode: Mode = 'reading';
  let ws: WebSocket | undefined;
  let running = false;
  let report: FloodReport = {
    cmd: 'report',
    sent: 0,
    received: 0,
    connects: 0,
    refused: 0,
    closes: {},
  };
  const ping = JSON.stringify({ type: 'probe' });
  const work = JSON.stringify({ type: 'work' });

  const connect = (): void => {
    if (!running) return;
    const socket = open(url, 'flooder');
    ws = socket;
    report.connects++;
    socket.on('message', () => report.received++);
    socket.on('unexpected-response', (request) => {
      // Refused (429: the user's or the address's connections are full): try again shortly.
      report.refused++;
      request.destroy();
      ws = undefined;
      setTimeout(connect, 5);
    });
    socket.on('close', (code) => {
      report.closes[code] = (report.closes[code] ?? 0) + 1;
      if (socket !== ws) return;
      ws = undefined;
      connect();
    });
    socket.once('open', () => {
      if (mode === 'stalled') (socket as unknown as { _socket: Socket })._socket.pause();
      pump(socket);
    });
  };

  const pump = (socket: WebSocket): void => {
    if (!running || socket !== ws) return;
    if (socket.readyState !== WebSocket.OPEN) {
      // The server's close frame was read: a hostile client does not wait for the closing
      // handshake (its 'close' event still counts the code).
      ws = undefined;
      socket.terminate();
      connect();
      return;
    }
    const message = mode === 'reading' ? ping : work;
    // As fast as the socket takes them: a turn's worth, then again on the next turn, or a
    // millisecond later while the kernel buffer is full.
    for (let i = 0; i < 2000 && socket.bufferedAmount < 1 << 20; i++) {
      socket.send(message);
      report.sent++;
    }
    if (socket.bufferedAmount < 1 << 20) setImmediate(() => pump(socket));
    else setTimeout(() => pump(socket), 1);
  };

  parentPort?.on('message', (command: Command) => {
    if (command.cmd === 'start') {
      mode = command.mode ?? 'reading';
      report = { cmd: 'report', sent: 0, received: 0, connects: 0, refused: 0, closes: {} };
      running = true;
      connect();
      parentPort?.postMessage({ cmd: 'started' });
    } else if (command.cmd === 'stop') {
      running = false;
      ws?.terminate();
      ws = undefined;
      parentPort?.postMessage(report);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread: the server, and the phases.

class Thread {
  private readonly worker: Worker;

  constructor(role: 'probe' | 'flood', url: string) {
    this.worker = new Worker(join(__dirname, 'flood.js'), { workerData: { role, url } });
  }

  request<T>(command: Command, answer: string): Promise<T> {
    return new Promise((resolve) => {
      const listener = (message: { cmd: string }) => {
        if (message.cmd !== answer) return;
        this.worker.off('message', listener);
        resolve(message as T);
      };
      this.worker.on('message', listener);
      this.worker.postMessage(command);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

interface PhaseResult {
  name: string;
  probe: ProbeReport;
  flood?: FloodReport;
  messagesIn: number;
  rateLimited: number;
  slowConsumerCloses: number;
  peakBufferedBytes: number;
  refused: number;
}

async function phase(
  name: string,
  manager: WebSocketManager,
  probe: Thread,
  flooder: Thread,
  mode?: Mode,
): Promise<PhaseResult> {
  global.gc?.();
  const before = manager.stats();
  if (mode) await flooder.request({ cmd: 'start', mode }, 'started');
  await probe.request({ cmd: 'start' }, 'started');
  let peakBufferedBytes = 0;
  const deadline = nowMs() + PHASE_SECONDS * 1000;
  while (nowMs() < deadline) {
    peakBufferedBytes = Math.max(peakBufferedBytes, manager.stats().bufferedBytes);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const probeReport = await probe.request<ProbeReport>({ cmd: 'stop' }, 'report');
  const flood = mode ? await flooder.request<FloodReport>({ cmd: 'stop' }, 'report') : undefined;
  const after = manager.stats();
  const refusedCount = (stats: typeof after) =>
    Object.values(stats.refused).reduce((sum, n) => sum + n, 0);
  // Let the flooder's last connections go before the next phase.
  const settle = nowMs() + 3000;
  while (manager.connectionCount('flooder') > 0 && nowMs() < settle)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    name,
    probe: probeReport,
    ...(flood ? { flood } : {}),
    messagesIn: after.messagesIn - before.messagesIn,
    rateLimited: after.rateLimited - before.rateLimited,
    slowConsumerCloses: after.slowConsumerCloses - before.slowConsumerCloses,
    peakBufferedBytes,
    refused: refusedCount(after) - refusedCount(before),
  };
}

async function main(): Promise<void> {
  const router = new MessageRouter();
  router.on('probe', () => true);
  const blob = 'x'.repeat(WORK_BYTES);
  router.on('work', (_payload, { channel }) => {
    for (let i = 0; i < WORK_FRAMES; i++) void channel.send('result', { i, blob });
    return true;
  });
  const manager = new WebSocketManager({
    port: 0,
    host: '127.0.0.1',
    register: false,
    authenticate: devAuthenticate,
    router,
  });
  await manager.ready();
  const url = `ws://127.0.0.1:${manager.address().port}/ws`;
  const probe = new Thread('probe', url);
  const flooder = new Thread('flood', url);
  console.log(
    `flood: WebSocketManager on loopback with its default limits; ${PROBES} probe users × ${PROBE_RATE} req/s; ${PHASE_SECONDS} s per phase; node ${process.version}\n`,
  );
  const results: PhaseResult[] = [];
  // Warm-up: JIT and socket buffers, not reported.
  await phase('warm-up', manager, probe, flooder, 'reading');
  results.push(await phase('no flooder', manager, probe, flooder));
  results.push(await phase('reading flooder', manager, probe, flooder, 'reading'));
  results.push(await phase('stalled flooder', manager, probe, flooder, 'stalled'));
  await Promise.all([probe.terminate(), flooder.terminate()]);
  await manager.close();

  const base = results[0] as PhaseResult;
  const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(7);
  const int = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  console.log(
    'phase               probe p50    p99     max  samples  lost   ratio p99   flooder sent/s  server in/s  rate-limited/s  closes',
  );
  for (const r of results) {
    const closes = r.flood
      ? Object.entries(r.flood.closes)
          .map(([code, n]) => `${code}×${n}`)
          .join(' ')
      : '';
    console.log(
      `${r.name.padEnd(18)} ${fmt(r.probe.p50, 2)} ${fmt(r.probe.p99)} ${fmt(r.probe.max)} ${String(r.probe.samples).padStart(8)} ${String(r.probe.lost).padStart(5)}  ${fmt(r.probe.p99 / base.probe.p99, 2)}x  ${int((r.flood?.sent ?? 0) / PHASE_SECONDS)}  ${int(r.messagesIn / PHASE_SECONDS)}  ${int(r.rateLimited / PHASE_SECONDS)}      ${closes}`,
    );
  }
  console.log('');
  for (const r of results.slice(1)) {
    const met = r.probe.p99 < TARGET_P99_MS ? 'met' : 'NOT met';
    console.log(
      `${r.name}: probe p99 ${r.probe.p99.toFixed(1)} ms vs ${base.probe.p99.toFixed(1)} ms without (${(r.probe.p99 / base.probe.p99).toFixed(1)}x); target < ${TARGET_P99_MS} ms: ${met}; flooder connections ${r.flood?.connects ?? 0}, refused upgrades ${r.refused}, slow-consumer closes ${r.slowConsumerCloses}, peak buffered ${(r.peakBufferedBytes / 1024 / 1024).toFixed(2)} MiB`,
    );
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  const { role, url } = workerData as { role: 'probe' | 'flood'; url: string };
  if (role === 'probe') probeWorker(url);
  else floodWorker(url);
}
