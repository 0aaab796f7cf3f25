import { devAuthenticate } from '../../src/manager/auth';
import { getWebSocketManager, WebSocketManager } from '../../src/manager/websocket-manager';
import type { WebSocketManagerOptions } from '../../src/manager/options';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import {
  delay,
  refusedStatus,
  startHttpServer,
  startManager,
  TestSocket,
  useCleanup,
} from '../helpers';

describe('WebSocketManager', () => {
  const defer = useCleanup();

  describe('authentication before the upgrade', () => {
    it('accepts a bearer header and a token query parameter', async () => {
      const { manager, url } = await startManager(defer);
      const byHeader = await TestSocket.open(url, 'dev:alice');
      defer(() => byHeader.close());
      const byQuery = await TestSocket.open(`${url}?token=dev%3Abob`, undefined);
      defer(() => byQuery.close());
      expect(byHeader.frames[0]).toMatchObject({ type: 'welcome', userId: 'alice', seq: 0 });
      expect(byQuery.frames[0]).toMatchObject({ type: 'welcome', userId: 'bob' });
      expect(manager.isConnected('alice') && manager.isConnected('bob')).toBe(true);
    });

    it.each([
      ['no token', {}],
      ['a token of the wrong form', { headers: { Authorization: 'Bearer nope' } }],
      ['a non-bearer scheme', { headers: { Authorization: 'Basic dev:alice' } }],
    ])('refuses %s with HTTP 401 and no connection', async (_name, options) => {
      const { manager, url } = await startManager(defer);
      expect(await refusedStatus(url, options)).toBe(401);
      expect(manager.connectionCount()).toBe(0);
      expect(manager.stats().refused.unauthorized).toBe(1);
    });

    it('refuses with 401 when authenticate throws, and never logs the token', async () => {
      const logged: string[] = [];
      const { url } = await startManager(defer, {
        authenticate: (_request, token) => {
          throw new Error(`token ${token} is revoked`);
        },
        logger: { warn: (message, meta) => logged.push(message + JSON.stringify(meta)) },
      });
      expect(await refusedStatus(url, { headers: { Authorization: 'Bearer s3cret-token' } })).toBe(
        401,
      );
      expect(logged.join('\n')).toContain('[redacted]');
      expect(logged.join('\n')).not.toContain('s3cret-token');
    });

    it('destroys the refused socket', async () => {
      const { manager, url } = await startManager(defer);
      await refusedStatus(url, {});
      const server = (manager as unknown as { server: import('node:http').Server }).server;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const open = await new Promise<number>((resolve) =>
        server.getConnections((_error, count) => resolve(count)),
      );
      expect(open).toBe(0);
    });

    it('answers 404 on another path and 403 for an origin outside the allowlist', async () => {
      const { url } = await startManager(defer, { allowedOrigins: ['https://app.example'] });
      expect(
        await refusedStatus(url.replace('/ws', '/other'), {
          headers: { Authorization: 'Bearer dev:alice' },
        }),
      ).toBe(404);
      expect(
        await refusedStatus(url, {
          headers: { Authorization: 'Bearer dev:alice' },
          origin: 'https://evil.example',
        }),
      ).toBe(403);
      const allowed = await TestSocket.open(url, 'dev:alice', { origin: 'https://app.example' });
      defer(() => allowed.close());
      expect(allowed.frames[0]?.type).toBe('welcome');
    });

    it('refuses a user beyond maxConnectionsPerUser with 429, others still connect', async () => {
      const { manager, url } = await startManager(defer, { maxConnectionsPerUser: 2 });
      for (let i = 0; i < 2; i++) {
        const socket = await TestSocket.open(url, 'dev:alice');
        defer(() => socket.close());
      }
      expect(await refusedStatus(url, { headers: { Authorization: 'Bearer dev:alice' } })).toBe(
        429,
      );
      const bob = await TestSocket.open(url, 'dev:bob');
      defer(() => bob.close());
      expect(manager.connectionCount('alice')).toBe(2);
      expect(manager.stats().refused.tooManyConnections).toBe(1);
    });
  });

  describe('#forUser', () => {
    it('delivers to every connection of that user and to no other user', async () => {
      const { manager, url } = await startManager(defer);
      const tabs = await Promise.all([
        TestSocket.open(url, 'dev:alice'),
        TestSocket.open(url, 'dev:alice'),
      ]);
      const bob = await TestSocket.open(url, 'dev:bob');
      defer(() => Promise.all([...tabs, bob].map((socket) => socket.close())));

      const envelope = await manager
        .forUser({ userId: 'alice', threadId: 't1' })
        .send('note', { text: 'hi' });
      expect(envelope).toMatchObject({
        v: 1,
        type: 'note',
        userId: 'alice',
        seq: 1,
        payload: { text: 'hi' },
      });
      for (const tab of tabs)
        expect(await tab.waitFor((frame) => frame.type === 'note')).toMatchObject({
          seq: 1,
          epoch: envelope.epoch,
        });
      await manager.forUser('bob').send('marker', {});
      await bob.waitFor((frame) => frame.type === 'marker');
      expect(bob.frames.some((frame) => frame.type === 'note')).toBe(false);
      expect(manager.forUser('alice').connectionCount()).toBe(2);
      expect(manager.stats()).toMatchObject({ users: 2, connections: 3, delivered: 3 });
    });

    it('refuses agent events and control types, and an empty user id', async () => {
      const { manager } = await startManager(defer);
      const channel = manager.forUser('alice');
      expect(() => channel.send('agent_started', {})).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_RESERVED_TYPE' }),
      );
      expect(() => channel.send('welcome', {})).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_RESERVED_TYPE' }),
      );
      expect(() => manager.forUser('')).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_INVALID_USER' }),
      );
    });
  });

  describe('subscription to a user stream', () => {
    /** An adapter whose subscribe takes as long as `gate` (as a network round trip does). */
    class SlowSubscribeAdapter extends MemoryDeliveryAdapter {
      gate: Promise<void> | undefined;
      readonly calls: string[] = [];
      override async subscribe(userId: string): Promise<void> {
        this.calls.push(`subscribe ${userId}`);
        await this.gate;
        super.subscribe(userId);
      }
      override unsubscribe(userId: string): void {
        this.calls.push(`unsubscribe ${userId}`);
        super.unsubscribe(userId);
      }
    }

    it('is awaited by every connection, not only by the first one that started it', async () => {
      const adapter = new SlowSubscribeAdapter();
      const { manager, url } = await startManager(defer, { adapter });
      let open!: () => void;
      adapter.gate = new Promise<void>((resolve) => (open = resolve));
      const first = TestSocket.open(url, 'dev:alice');
      while (manager.connectionCount('alice') < 1) await delay(2);
      const second = TestSocket.open(url, 'dev:alice');
      while (manager.connectionCount('alice') < 2) await delay(2);
      // Sent while the node is not subscribed yet: in the stream, but delivered to nobody here.
      await manager.forUser('alice').send('note', { i: 1 });
      await manager.forUser('alice').send('note', { i: 2 });
      open();
      const tabs = await Promise.all([first, second]);
      defer(() => Promise.all(tabs.map((socket) => socket.close())));
      await manager.forUser('alice').send('note', { i: 3 });
      for (const tab of tabs) {
        await tab.waitFor((frame) => frame.seq === 3);
        // Welcomed at the head after the subscription (2), so nothing before it is owed.
        expect(tab.frames[0]).toMatchObject({ type: 'welcome', seq: 2 });
        expect(tab.stream().map((frame) => frame.seq)).toEqual([3]);
      }
      expect(adapter.calls).toEqual(['subscribe alice']);
    });

    it('comes after the unsubscribe of the previous last connection', async () => {
      const adapter = new SlowSubscribeAdapter();
      const { manager, url } = await startManager(defer, { adapter });
      const first = await TestSocket.open(url, 'dev:alice');
      await first.close();
      while (manager.isConnected('alice')) await delay(2);
      const again = await TestSocket.open(url, 'dev:alice');
      defer(() => again.close());
      await manager.forUser('alice').send('note', {});
      await again.waitFor((frame) => frame.type === 'note');
      expect(adapter.calls).toEqual(['subscribe alice', 'unsubscribe alice', 'subscribe alice']);
    });
  });

  describe('process default', () => {
    it('is registered on construction and unregistered on close', async () => {
      expect(() => getWebSocketManager()).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_NO_DEFAULT_MANAGER', name: 'ManagerError' }),
      );
      const manager = new WebSocketManager({ authenticate: devAuthenticate });
      defer(() => manager.close());
      expect(getWebSocketManager()).toBe(manager);
      expect(() => new WebSocketManager({ authenticate: devAuthenticate })).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_DEFAULT_MANAGER_EXISTS' }),
      );
      const extra = new WebSocketManager({ authenticate: devAuthenticate, register: false });
      await extra.close();
      await manager.close();
      expect(() => getWebSocketManager()).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_NO_DEFAULT_MANAGER' }),
      );
    });
  });

  describe('options', () => {
    it.each<[string, Partial<WebSocketManagerOptions>]>([
      ['server and port together', { port: 0, server: {} as never }],
      ['a path without a slash', { path: 'ws' }],
      ['a high-water mark above the budget', { sendHighWaterMark: 10, sendBudgetBytes: 5 }],
      ['a zero maxPayload', { maxPayload: 0 }],
      ['a negative heartbeat', { heartbeatIntervalMs: -1 }],
      ['a rate limit of zero', { rateLimit: { messages: 0, intervalMs: 1000 } }],
    ])('rejects %s with a coded OptionError', (_name, options) => {
      expect(
        () => new WebSocketManager({ authenticate: devAuthenticate, register: false, ...options }),
      ).toThrow(expect.objectContaining({ name: 'OptionError', code: 'UWS_ERR_INVALID_OPTION' }));
    });

    it('rejects a missing authenticate', () => {
      expect(() => new WebSocketManager({} as WebSocketManagerOptions)).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }),
      );
    });
  });

  describe('attached to an existing server', () => {
    it('serves upgrades on its path and leaves the server running after close()', async () => {
      const server = await startHttpServer(defer);
      const manager = new WebSocketManager({
        server,
        authenticate: devAuthenticate,
        register: false,
      });
      await manager.ready();
      const port = (server.address() as import('node:net').AddressInfo).port;
      const socket = await TestSocket.open(`ws://127.0.0.1:${port}/ws`, 'dev:alice');
      await manager.close();
      expect(await socket.closed).toEqual({ code: 1001, reason: 'server shutting down' });
      expect(server.listening).toBe(true);
      expect(server.listenerCount('upgrade')).toBe(0);
    });
  });

  describe('#close', () => {
    it('sends 1001 to every client, refuses new sends, and releases every handle', async () => {
      const countOf = (resources: string[], kind: string) =>
        resources.filter((name) => name === kind).length;
      const baseline = process.getActiveResourcesInfo();
      const manager = new WebSocketManager({
        port: 0,
        host: '127.0.0.1',
        authenticate: devAuthenticate,
        register: false,
        heartbeatIntervalMs: 50,
      });
      await manager.ready();
      const url = `ws://127.0.0.1:${manager.address().port}/ws`;
      const sockets = await Promise.all(
        ['a', 'b', 'c'].map((user) => TestSocket.open(url, `dev:${user}`)),
      );
      await manager.close();
      for (const socket of sockets) expect((await socket.closed).code).toBe(1001);
      await expect(manager.forUser('a').send('x', {})).rejects.toMatchObject({
        code: 'UWS_ERR_MANAGER_CLOSED',
      });
      expect(manager.stats()).toMatchObject({ connections: 0, users: 0 });
      // A closed handle leaves libuv's list in the loop's close phase, after the check phase that
      // runs setImmediate: wait for the next timers phase.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const after = process.getActiveResourcesInfo();
      for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']) {
        expect(countOf(after, kind)).toBeLessThanOrEqual(countOf(baseline, kind));
      }
      await expect(manager.close()).resolves.toBeUndefined();
    });

    it('terminates clients that do not answer the close within closeTimeoutMs', async () => {
      const { manager, url } = await startManager(defer, { closeTimeoutMs: 100 });
      const socket = await TestSocket.open(url, 'dev:alice');
      // A client whose socket stops reading never sees the close frame, so it cannot answer it.
      (socket.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
      const started = Date.now();
      await manager.close();
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(manager.connectionCount()).toBe(0);
      (socket.ws as unknown as { _socket: import('node:net').Socket })._socket.resume();
      await socket.closed;
    });
  });
});
