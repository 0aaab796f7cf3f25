import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli/index';
import WebSocket from 'ws';
import { devAuthenticate } from '../src/manager/auth';
import type { WebSocketManagerOptions } from '../src/manager/options';
import { WebSocketManager } from '../src/manager/websocket-manager';

type Closer = () => unknown;

/** Collects closers and runs them (newest first) after each test, so nothing outlives a test. */
export function useCleanup(): (closer: Closer) => void {
  const closers: Closer[] = [];
  afterEach(async () => {
    while (closers.length > 0) await closers.pop()?.();
  });
  return (closer) => {
    closers.push(closer);
  };
}

/** A manager on an ephemeral loopback port with dev auth, not registered as the default. */
export async function startManager(
  defer: (closer: Closer) => void,
  options: Partial<WebSocketManagerOptions> = {},
): Promise<{ manager: WebSocketManager; url: string }> {
  const manager = new WebSocketManager({
    port: 0,
    host: '127.0.0.1',
    register: false,
    authenticate: devAuthenticate,
    ...options,
  });
  defer(() => manager.close());
  await manager.ready();
  return { manager, url: `ws://127.0.0.1:${manager.address().port}${options.path ?? '/ws'}` };
}

export type Frame = Record<string, unknown> & {
  type: string;
  seq?: number;
  epoch?: string;
  userId?: string;
  runId?: string;
  payload?: unknown;
};

/** A raw ws client that records every frame and can wait for one. */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const frame = JSON.parse(isBinary ? '{}' : data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.predicate(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens and waits for the welcome frame. */
  static async open(
    url: string,
    token: string | undefined,
    options: WebSocket.ClientOptions = {},
  ): Promise<TestSocket> {
    const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    const ws = new WebSocket(url, { ...options, headers: { ...headers, ...options.headers } });
    const socket = new TestSocket(ws);
    ws.on('error', () => undefined);
    await socket.waitFor((frame) => frame.type === 'welcome');
    return socket;
  }

  /** The first frame, already received or still to come, that matches. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no matching frame within ${timeoutMs} ms; last frames: ${this.summary()}`),
          ),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  /** Waits until `count` frames match. */
  async waitForCount(
    predicate: (frame: Frame) => boolean,
    count: number,
    timeoutMs = 5000,
  ): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.filter(predicate).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} frames, got ${this.frames.filter(predicate).length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.frames.filter(predicate);
  }

  /** type#seq of the last frames, for failure messages that stay readable. */
  summary(count = 10): string {
    return this.frames
      .slice(-count)
      .map(
        (frame) =>
          `${frame.type}${frame.seq === undefined ? '' : `#${frame.seq}`}${frame.code === undefined ? '' : `:${String(frame.code)}`}`,
      )
      .join(' ');
  }

  stream(): Frame[] {
    return this.frames.filter(
      (frame) =>
        typeof frame.seq === 'number' && frame.type !== 'welcome' && frame.type !== 'resumed',
    );
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      const timer = setTimeout(() => this.ws.terminate(), 1000);
      await this.closed;
      clearTimeout(timer);
    }
  }
}

/** Tries an upgrade that should be refused; resolves with the HTTP status. */
export function refusedStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (request, response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', () => undefined);
  });
}

/** A plain HTTP server on an ephemeral loopback port, closed after the test. */
export async function startHttpServer(defer: (closer: Closer) => void): Promise<Server> {
  const server = createServer((_request, response) => response.end('plain http'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return server;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing seeded test can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the CLI in process with captured output; resolves with the exit code and both streams. */
export async function runCli(
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await main(argv, { stdout, stderr, interrupted: new Promise(() => undefined) });
  return { code, stdout: out, stderr: err };
}

/** A project in a temporary directory with these files (paths relative to it), removed after the test. */
export function tempProject(
  defer: (closer: Closer) => void,
  files: Record<string, string>,
  prefix = 'uws-project-',
): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  defer(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
