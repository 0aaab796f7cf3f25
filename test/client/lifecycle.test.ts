import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import WebSocket from 'ws';
import { UnifiedWsClient as BrowserClient } from '../../src/client/index';
import { UnifiedWsClient, nodeWebSocketFactory } from '../../src/client/node';
import type { SocketFactory, WebSocketLike } from '../../src/client/socket';
import { CLOSE_CODES } from '../../src/protocol/codes';
import { SUBPROTOCOL } from '../../src/protocol/subprotocol';
import { MessageRouter } from '../../src/router/message-router';
import { delay, startManager, useCleanup } from '../helpers';
import { scriptedServer, until, welcome } from './peers';

/** Records every client event with its argument, in order. */
function recordEvents(client: UnifiedWsClient | BrowserClient) {
  const events: [string, unknown][] = [];
  for (const name of [
    'open',
    'close',
    'connect_error',
    'reconnect_attempt',
    'reconnect_failed',
    'error',
    'resumed',
  ] as const)
    client.on(name, (arg: unknown) => events.push([name, arg]));
  return events;
}

/** The Node factory, counting the sockets it opens. */
function countingFactory(): { factory: SocketFactory; sockets: WebSocketLike[] } {
  const sockets: WebSocketLike[] = [];
  return {
    sockets,
    factory: (url, token, options) => {
      const socket = nodeWebSocketFactory(url, token, options);
      sockets.push(socket);
      return socket;
    },
  };
}

describe('UnifiedWsClient lifecycle', () => {
  const defer = useCleanup();

  describe('connect()', () => {
    it('called twice while connecting returns the same promise and opens one socket', async () => {
      const { manager, url } = await startManager(defer);
      const { factory, sockets } = countingFactory();
      const client = new UnifiedWsClient({ url, token: 'dev:alice', createSocket: factory });
      defer(() => client.close());
      const first = client.connect();
      const second = client.connect();
      expect(second).toBe(first);
      const welcome = await first;
      // Connected: resolves with the current welcome, still without a new socket.
      await expect(client.connect()).resolves.toBe(welcome);
      await delay(20);
      expect(sockets).toHaveLength(1);
      expect(manager.connectionCount('alice')).toBe(1);
    });

    it('connect, close, connect (React StrictMode): the first socket delivers nothing more', async () => {
      const { manager, url } = await startManager(defer);
      const { factory, sockets } = countingFactory();
      const client = new UnifiedWsClient({ url, token: 'dev:alice', createSocket: factory });
      defer(() => client.close());
      const seen: number[] = [];
      const opens: string[] = [];
      client.on('envelope', (envelope) => seen.push(envelope.seq));
      client.on('open', (frame) => opens.push(frame.connectionId));
      const abandoned = client.connect();
      client.close();
      await expect(abandoned).rejects.toMatchObject({ code: 'UWS_ERR_CLIENT_CLOSED' });
      await client.connect();
      await until(() => manager.connectionCount('alice') === 1, 'one connection');
      await manager.forUser('alice').send('tick', {});
      await until(() => seen.length === 1, 'the envelope');
      await delay(30);
      expect(seen).toEqual([1]);
      expect(opens).toHaveLength(1);
      expect(sockets).toHaveLength(2);
      expect(sockets[0]?.readyState).toBe(WebSocket.CLOSED);
      expect(manager.connectionCount('alice')).toBe(1);
    });

    it('an ignored connect() that is closed raises no unhandled rejection', async () => {
      const { url } = await startManager(defer);
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      defer(() => process.off('unhandledRejection', onUnhandled));
      const client = new UnifiedWsClient({ url, token: 'dev:alice' });
      void client.connect();
      client.close();
      await delay(20);
      expect(unhandled).toEqual([]);
    });
  });

  describe('close()', () => {
    it('leaves no event, frame, timer or socket behind', async () => {
      const countOf = (kind: string) =>
        process.getActiveResourcesInfo().filter((name) => name === kind).length;
      const { manager, url } = await startManager(defer);
      const baseline = { timers: countOf('Timeout'), sockets: countOf('TCPSocketWrap') };
      const { factory, sockets } = countingFactory();
      const client = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        createSocket: factory,
        heartbeat: { intervalMs: 20, timeoutMs: 1000 },
        requestTimeoutMs: 60_000,
        offlineQueue: { maxSize: 4 },
      });
      const events: string[] = [];
      for (const name of ['envelope', 'open', 'close', 'error', 'connect_error'] as const)
        client.on(name, () => events.push(name));
      await client.connect();
      await manager.forUser('alice').send('tick', {});
      await until(() => events.includes('envelope'), 'the envelope');
      const pending = client.request('never-answered-before-close');
      client.close();
      expect(events.at(-1)).toBe('close');
      await expect(pending).rejects.toMatchObject({ code: 'UWS_ERR_CLIENT_CLOSED' });
      const after = events.length;
      // The server goes on sending: nothing reaches the closed client.
      await manager.forUser('alice').send('tick', {});
      await until(() => manager.connectionCount('alice') === 0, 'the server to see the close');
      const socket = sockets[0] as WebSocketLike;
      // ws holds the socket (and its close timer) until the server answered the close.
      await until(() => socket.readyState === WebSocket.CLOSED, 'the closing handshake');
      await delay(30);
      expect(events).toHaveLength(after);
      expect([socket.onmessage, socket.onclose, socket.onopen]).toEqual([null, null, null]);
      expect(client.state).toBe('idle');
      expect(countOf('Timeout')).toBeLessThanOrEqual(baseline.timers);
      expect(countOf('TCPSocketWrap')).toBeLessThanOrEqual(baseline.sockets);
      expect(client.listenerCount()).toBe(5); // the application's own listeners stay
    });

    it('lets a Node process exit on its own: open, connecting, backing off, queued requests', async () => {
      // A process that only runs clients and closes them must exit by itself: any timer or socket
      // the client left would keep it alive, and this test would time out.
      const router = new MessageRouter();
      router.on('never', () => new Promise(() => undefined));
      const { manager, url } = await startManager(defer, { router });
      const silent = createNetServer((socket: Socket) => socket.on('error', () => undefined));
      const held: Socket[] = [];
      silent.on('connection', (socket) => held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      defer(() => new Promise((resolve) => silent.close(resolve)));
      defer(() => held.forEach((socket) => socket.destroy()));
      const silentUrl = `ws://127.0.0.1:${(silent.address() as { port: number }).port}/ws`;
      const refused = createNetServer();
      await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
      const refusedUrl = `ws://127.0.0.1:${(refused.address() as { port: number }).port}/ws`;
      await new Promise((resolve) => refused.close(resolve));

      const script = `
        const { UnifiedWsClient } = require(${JSON.stringify(require.resolve('../../dist/src/client/node.js'))});
        const options = { heartbeat: { intervalMs: 10, timeoutMs: 5000 }, offlineQueue: { maxSize: 2 } };
        const open = new UnifiedWsClient({ ...options, url: ${JSON.stringify(url)}, token: 'dev:exit' });
        const connecting = new UnifiedWsClient({ ...options, url: ${JSON.stringify(silentUrl)} });
        const backingOff = new UnifiedWsClient({ ...options, url: ${JSON.stringify(refusedUrl)}, reconnect: { initialDelayMs: 60000, maxDelayMs: 60000 } });
        const outcomes = [];
        const note = (name, promise) => promise.then(() => outcomes.push(name + ':ok'), (e) => outcomes.push(name + ':' + e.code));
        (async () => {
          await open.connect();
          note('pending', open.request('never'));
          void connecting.connect();
          note('queued', connecting.request('later'));
          backingOff.on('reconnect_attempt', () => {
            open.close(); connecting.close(); backingOff.close();
            setImmediate(() => console.log(JSON.stringify(outcomes.sort())));
          });
          void backingOff.connect();
        })();
      `;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      defer(() => child.exitCode === null && child.kill('SIGKILL'));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(stdout)).toEqual([
        'pending:UWS_ERR_CLIENT_CLOSED',
        'queued:UWS_ERR_CLIENT_CLOSED',
      ]);
      expect(held.length).toBe(1);
      await until(() => manager.connectionCount('exit') === 0, 'the server to see the close');
    });
  });

  describe('events', () => {
    it('a drop: close, reconnect_attempt, open, resumed — in that order', async () => {
      const { manager, url } = await startManager(defer);
      const client = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        reconnect: { initialDelayMs: 20, maxDelayMs: 20 },
        random: () => 1,
      });
      defer(() => client.close());
      await client.connect();
      const events = recordEvents(client);
      manager.disconnect('alice', 4000, 'drop');
      await until(() => events.some(([name]) => name === 'resumed'), 'resumed');
      expect(events).toEqual([
        ['close', { code: 4000, reason: 'drop', willReconnect: true }],
        ['reconnect_attempt', { attempt: 1, delayMs: 20 }],
        ['open', expect.objectContaining({ type: 'welcome', userId: 'alice' })],
        ['resumed', expect.objectContaining({ recovered: true, replayed: 0 })],
      ]);
    });

    it('failed attempts: connect_error each time, growing delays, then reconnect_failed and error', async () => {
      const unused = createNetServer();
      await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
      const url = `ws://127.0.0.1:${(unused.address() as { port: number }).port}/ws`;
      await new Promise((resolve) => unused.close(resolve));
      const client = new UnifiedWsClient({
        url,
        reconnect: { initialDelayMs: 4, maxDelayMs: 10, factor: 2, maxRetries: 3 },
        random: () => 1,
      });
      defer(() => client.close());
      const events = recordEvents(client);
      const failure = await client.connect().catch((error: unknown) => error);
      const connectError = expect.objectContaining({
        code: 'UWS_ERR_CLIENT_CONNECT_FAILED',
        closeCode: 1006,
      });
      expect(events).toEqual([
        ['connect_error', connectError],
        ['reconnect_attempt', { attempt: 1, delayMs: 4 }],
        ['connect_error', connectError],
        ['reconnect_attempt', { attempt: 2, delayMs: 8 }],
        ['connect_error', connectError],
        ['reconnect_attempt', { attempt: 3, delayMs: 10 }],
        ['connect_error', connectError],
        ['reconnect_failed', failure],
        ['error', failure],
      ]);
      expect(failure).toMatchObject({
        code: 'UWS_ERR_CLIENT_RECONNECT_FAILED',
        cause: connectError,
        closeCode: 1006,
      });
      expect(client.state).toBe('idle');
    });

    it('maxRetries: 0 — a drop is final: close, reconnect_failed, error', async () => {
      const { manager, url } = await startManager(defer);
      const client = new UnifiedWsClient({ url, token: 'dev:alice', reconnect: { maxRetries: 0 } });
      defer(() => client.close());
      await client.connect();
      const events = recordEvents(client);
      manager.disconnect('alice', 4000, 'drop');
      await until(() => client.state === 'idle', 'the client to stop');
      const failure = expect.objectContaining({
        code: 'UWS_ERR_CLIENT_RECONNECT_FAILED',
        closeCode: 4000,
        cause: expect.objectContaining({ code: 'UWS_ERR_CLIENT_NOT_CONNECTED' }),
      });
      expect(events).toEqual([
        ['close', { code: 4000, reason: 'drop', willReconnect: false }],
        ['reconnect_failed', failure],
        ['error', failure],
      ]);
    });

    it('reconnect: false — the first failure rejects connect() with the connect error', async () => {
      const { url } = await scriptedServer(defer, (socket) => socket.close(4503, 'unavailable'));
      const client = new UnifiedWsClient({ url, reconnect: false });
      const events = recordEvents(client);
      await expect(client.connect()).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_CONNECT_FAILED',
        closeCode: 4503,
        closeReason: 'unavailable',
      });
      expect(events.map(([name]) => name)).toEqual(['connect_error']);
    });
  });

  describe('connectTimeoutMs', () => {
    it('an upgrade never answered, and a welcome never sent, fail the attempt with 4002 and are retried', async () => {
      const silent = createNetServer((socket: Socket) => socket.on('error', () => undefined));
      const held: Socket[] = [];
      silent.on('connection', (socket) => held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      defer(() => new Promise((resolve) => silent.close(resolve)));
      defer(() => held.forEach((socket) => socket.destroy()));
      const mute = await scriptedServer(defer, () => undefined);
      for (const url of [
        `ws://127.0.0.1:${(silent.address() as { port: number }).port}/ws`,
        mute.url,
      ]) {
        const client = new UnifiedWsClient({
          url,
          connectTimeoutMs: 30,
          reconnect: { initialDelayMs: 5, maxDelayMs: 5, maxRetries: 1 },
        });
        defer(() => client.close());
        const events = recordEvents(client);
        await expect(client.connect()).rejects.toMatchObject({
          code: 'UWS_ERR_CLIENT_RECONNECT_FAILED',
          closeCode: 4002,
        });
        expect(
          events.map(([name, arg]) => [name, (arg as { closeCode?: number }).closeCode]),
        ).toEqual([
          ['connect_error', 4002],
          ['reconnect_attempt', undefined],
          ['connect_error', 4002],
          ['reconnect_failed', 4002],
          ['error', 4002],
        ]);
      }
      expect(held).toHaveLength(2);
      expect(mute.offered).toHaveLength(2);
    });

    it('covers a token function that does not answer: its late token opens no socket', async () => {
      const { manager, url } = await startManager(defer);
      const { factory, sockets } = countingFactory();
      let late: ((token: string) => void) | undefined;
      let calls = 0;
      const client = new UnifiedWsClient({
        url,
        createSocket: factory,
        token: () =>
          ++calls === 1
            ? new Promise<string>((resolve) => (late = resolve))
            : Promise.resolve('dev:alice'),
        connectTimeoutMs: 30,
        reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
      });
      defer(() => client.close());
      const events = recordEvents(client);
      await client.connect();
      late?.('dev:alice');
      await delay(30);
      expect(events.map(([name]) => name)).toEqual(['connect_error', 'reconnect_attempt', 'open']);
      expect(events[0]?.[1]).toMatchObject({ closeCode: 4002, closeReason: 'connect timeout' });
      expect(sockets).toHaveLength(1);
      expect(manager.connectionCount('alice')).toBe(1);
    });
  });

  describe('refusals', () => {
    it.each([
      [
        'a bad token',
        'UWS_ERR_CLIENT_UNAUTHORIZED',
        CLOSE_CODES.UNAUTHORIZED,
        {},
        'wrong',
        '/ws',
        'unauthorized',
      ],
      [
        'a wrong path',
        'UWS_ERR_CLIENT_NOT_FOUND',
        CLOSE_CODES.NOT_FOUND,
        {},
        'dev:alice',
        '/nope',
        'notFound',
      ],
      [
        'a refused origin',
        'UWS_ERR_CLIENT_FORBIDDEN',
        CLOSE_CODES.FORBIDDEN,
        { allowedOrigins: ['https://app.example'] },
        'dev:alice',
        '/ws',
        'forbiddenOrigin',
      ],
    ] as const)(
      '%s: %s from close %d, no retry, connect() rejects (Node entry)',
      async (_what, code, closeCode, managerOptions, token, path, counter) => {
        const { manager, url } = await startManager(defer, managerOptions);
        const target = url.replace(/\/ws$/, path);
        const client = new UnifiedWsClient({
          url: target,
          token,
          // An Origin header like a browser's, refused by allowedOrigins when that is set.
          createSocket: (socketUrl, socketToken) =>
            new WebSocket(socketUrl, [SUBPROTOCOL], {
              headers: { Authorization: `Bearer ${socketToken}` },
              origin: 'https://evil.example',
            }) as unknown as WebSocketLike,
          reconnect: { initialDelayMs: 1 },
        });
        defer(() => client.close());
        const events = recordEvents(client);
        const error = await client.connect().catch((failure: unknown) => failure);
        expect(error).toMatchObject({ code, closeCode, name: 'ClientError' });
        expect(events).toEqual([
          ['connect_error', error],
          ['error', error],
        ]);
        await delay(30);
        expect(manager.stats().refused[counter]).toBe(1);
        expect(client.state).toBe('idle');
      },
    );

    it('a browser (global WebSocket, token in the subprotocol) sees 4401 and stops', async () => {
      const global = globalThis as { WebSocket?: unknown };
      const original = global.WebSocket;
      global.WebSocket = WebSocket;
      defer(() => (global.WebSocket = original));
      const { manager, url } = await startManager(defer);
      const client = new BrowserClient({ url, token: 'expired', reconnect: { initialDelayMs: 1 } });
      defer(() => client.close());
      await expect(client.connect()).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_UNAUTHORIZED',
        closeCode: 4401,
        httpStatus: undefined,
      });
      await delay(30);
      expect(manager.stats().refused.unauthorized).toBe(1);
    });

    it('a token function gets one more try with a fresh token after 4401', async () => {
      const { manager, url } = await startManager(defer);
      const tokens = ['expired', 'dev:alice'];
      const client = new UnifiedWsClient({ url, token: () => tokens.shift() ?? 'none' });
      defer(() => client.close());
      const events = recordEvents(client);
      await expect(client.connect()).resolves.toMatchObject({ userId: 'alice' });
      expect(events.map(([name, arg]) => [name, (arg as { code?: string }).code])).toEqual([
        ['connect_error', 'UWS_ERR_CLIENT_UNAUTHORIZED'],
        ['open', undefined],
      ]);
      expect(manager.stats().refused.unauthorized).toBe(1);
    });

    it('a token function refused twice in a row stops', async () => {
      const { manager, url } = await startManager(defer);
      let calls = 0;
      const client = new UnifiedWsClient({
        url,
        token: async () => `expired-${++calls}`,
        reconnect: { initialDelayMs: 1 },
      });
      defer(() => client.close());
      const events = recordEvents(client);
      await expect(client.connect()).rejects.toMatchObject({ code: 'UWS_ERR_CLIENT_UNAUTHORIZED' });
      expect(events.map(([name]) => name)).toEqual(['connect_error', 'connect_error', 'error']);
      await delay(30);
      expect(calls).toBe(2);
      expect(manager.stats().refused.unauthorized).toBe(2);
    });

    it('4429 is retried with backoff until the user has room again', async () => {
      const { manager, url } = await startManager(defer, { maxConnectionsPerUser: 1 });
      const first = new UnifiedWsClient({ url, token: 'dev:alice' });
      defer(() => first.close());
      await first.connect();
      const second = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        reconnect: { initialDelayMs: 10, maxDelayMs: 10 },
      });
      defer(() => second.close());
      const events = recordEvents(second);
      const connected = second.connect();
      await until(
        () => events.filter(([name]) => name === 'connect_error').length >= 2,
        'two refused attempts',
      );
      first.close();
      await expect(connected).resolves.toMatchObject({ userId: 'alice' });
      expect(events[0]).toEqual([
        'connect_error',
        expect.objectContaining({
          code: 'UWS_ERR_CLIENT_CONNECT_FAILED',
          closeCode: CLOSE_CODES.TOO_MANY_REQUESTS,
        }),
      ]);
      expect(events[1]).toEqual(['reconnect_attempt', expect.objectContaining({ attempt: 1 })]);
      expect(events.some(([name]) => name === 'error')).toBe(false);
      expect(manager.stats().refused.tooManyConnections).toBeGreaterThanOrEqual(2);
    });

    it('4503 is retried with backoff', async () => {
      const { url } = await scriptedServer(defer, (socket, index) =>
        index < 2 ? socket.close(4503, 'service unavailable') : socket.send(welcome(0)),
      );
      const client = new UnifiedWsClient({ url, reconnect: { initialDelayMs: 5, maxDelayMs: 5 } });
      defer(() => client.close());
      const events = recordEvents(client);
      await client.connect();
      expect(
        events.map(([name, arg]) => [name, (arg as { closeCode?: number }).closeCode]),
      ).toEqual([
        ['connect_error', 4503],
        ['reconnect_attempt', undefined],
        ['connect_error', 4503],
        ['reconnect_attempt', undefined],
        ['open', undefined],
      ]);
    });

    it.each([
      [401, 'UWS_ERR_CLIENT_UNAUTHORIZED'],
      [403, 'UWS_ERR_CLIENT_FORBIDDEN'],
      [404, 'UWS_ERR_CLIENT_NOT_FOUND'],
    ])(
      'in Node, HTTP %d from a server that does not close with 4xxx is %s',
      async (status, code) => {
        let upgrades = 0;
        const server = createHttpServer();
        server.on('upgrade', (_request, socket) => {
          upgrades++;
          socket.end(
            `HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
          );
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        defer(() => new Promise((resolve) => server.close(resolve)));
        const port = (server.address() as { port: number }).port;
        const client = new UnifiedWsClient({
          url: `ws://127.0.0.1:${port}/ws`,
          token: 'x',
          reconnect: { initialDelayMs: 1 },
        });
        defer(() => client.close());
        await expect(client.connect()).rejects.toMatchObject({ code, httpStatus: status });
        await delay(20);
        expect(upgrades).toBe(1);
      },
    );
  });
});
