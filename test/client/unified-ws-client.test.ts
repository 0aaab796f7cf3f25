import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { UnifiedWsClient as BrowserClient } from '../../src/client/index';
import { UnifiedWsClient } from '../../src/client/node';
import { MessageRouter } from '../../src/router/message-router';
import type { DeliverFn } from '../../src/scale/delivery-adapter';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import { delay, startManager, useCleanup } from '../helpers';
import { envelope } from './peers';

describe('UnifiedWsClient', () => {
  const defer = useCleanup();

  it('reconnects with backoff after a drop and resumes without loss', async () => {
    const { manager, url } = await startManager(defer);
    const closeCodes: number[] = [];
    const client = new UnifiedWsClient({
      url,
      token: 'dev:alice',
      reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
      random: () => 1,
    });
    defer(() => client.close());
    const received: number[] = [];
    client.on('envelope', (envelope) => received.push(envelope.seq));
    client.on('close', (event) => closeCodes.push(event.code));
    await client.connect();
    for (let round = 0; round < 3; round++) {
      await manager.forUser('alice').send('tick', { round });
      while (!received.includes(round * 2 + 1)) await delay(2);
      manager.disconnect('alice', 4000, 'drop');
      while (manager.isConnected('alice')) await delay(2);
      await manager.forUser('alice').send('tick', { round, missed: true });
      while (!manager.isConnected('alice')) await delay(2);
    }
    while (received.length < 6) await delay(2);
    expect(received).toEqual([1, 2, 3, 4, 5, 6]);
    expect(closeCodes).toEqual([4000, 4000, 4000]);
  });

  it('delivers each seq once even when the server repeats one', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    defer(() => new Promise((resolve) => server.close(resolve)));
    server.on('connection', (socket) => {
      socket.send(
        JSON.stringify({
          type: 'welcome',
          v: 1,
          userId: 'u',
          connectionId: 'c',
          epoch: 'e',
          seq: 0,
        }),
      );
      for (const seq of [1, 1, 2, 1, 3]) socket.send(JSON.stringify(envelope(seq)));
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const client = new UnifiedWsClient({
      url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`,
      reconnect: false,
    });
    defer(() => client.close());
    const seen: number[] = [];
    client.on('envelope', (e) => seen.push(e.seq));
    await client.connect();
    while (seen.length < 3) await delay(2);
    await delay(20);
    expect(seen).toEqual([1, 2, 3]);
    for (const socket of server.clients) socket.terminate();
  });

  describe('a gap in seq', () => {
    const welcome = (seq: number) =>
      JSON.stringify({ type: 'welcome', v: 1, userId: 'u', connectionId: 'c', epoch: 'e', seq });

    /** A scripted server: `onConnection(socket, index)`, and every message a client sent. */
    async function scripted(
      onConnection: (socket: WebSocket, index: number) => void,
      onMessage: (
        socket: WebSocket,
        message: { type: string; id?: string; payload?: unknown },
      ) => void,
    ) {
      const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      defer(() => new Promise((resolve) => server.close(resolve)));
      defer(() => server.clients.forEach((socket) => socket.terminate()));
      const received: { type: string; id?: string; payload?: unknown }[] = [];
      let connections = 0;
      server.on('connection', (socket) => {
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string; id?: string };
          received.push(message);
          onMessage(socket, message);
        });
        onConnection(socket, connections++);
      });
      await new Promise((resolve) => server.once('listening', resolve));
      return { url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`, received };
    }

    it('resumes on the same connection when seq skips to any type but agent_thinking', async () => {
      const { url, received } = await scripted(
        (socket) => {
          socket.send(welcome(0));
          for (const seq of [1, 2, 5]) socket.send(JSON.stringify(envelope(seq)));
        },
        (socket, message) => {
          if (message.type !== 'resume') return;
          for (const seq of [3, 4, 5]) socket.send(JSON.stringify(envelope(seq)));
          socket.send(
            JSON.stringify({ type: 'resumed', recovered: true, replayed: 3, epoch: 'e', seq: 5 }),
          );
          // A skip that lands on an agent_thinking is back-pressure coalescing: no resume.
          socket.send(JSON.stringify(envelope(6, 'agent_thinking', 'r')));
          socket.send(JSON.stringify(envelope(8, 'agent_thinking', 'r')));
          socket.send(JSON.stringify(envelope(9)));
        },
      );
      const client = new UnifiedWsClient({ url, reconnect: false });
      defer(() => client.close());
      const seen: number[] = [];
      const gaps: unknown[] = [];
      client.on('envelope', (e) => seen.push(e.seq));
      client.on('gap', (gap) => gaps.push(gap));
      await client.connect();
      while (!seen.includes(9)) await delay(2);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 8, 9]);
      expect(gaps).toEqual([{ epoch: 'e', after: 2, seq: 5 }]);
      expect(received.filter((m) => m.type === 'resume')).toEqual([
        { type: 'resume', id: expect.any(String), payload: { epoch: 'e', seq: 2 } },
      ]);
    });

    it('reconnects and resumes again when the server could not answer its resume', async () => {
      const { url, received } = await scripted(
        (socket, index) => {
          if (index === 0) {
            socket.send(welcome(0));
            for (const seq of [1, 3]) socket.send(JSON.stringify(envelope(seq)));
          } else socket.send(welcome(3));
        },
        (socket, message) => {
          if (message.type !== 'resume') return;
          if (received.filter((m) => m.type === 'resume').length === 1) {
            socket.send(
              JSON.stringify({
                type: 'error',
                code: 'RESUME_FAILED',
                message: 'try again',
                id: message.id,
              }),
            );
            return;
          }
          for (const seq of [2, 3]) socket.send(JSON.stringify(envelope(seq)));
          socket.send(
            JSON.stringify({ type: 'resumed', recovered: true, replayed: 2, epoch: 'e', seq: 3 }),
          );
        },
      );
      const client = new UnifiedWsClient({ url, reconnect: { initialDelayMs: 5, maxDelayMs: 5 } });
      defer(() => client.close());
      const seen: number[] = [];
      const errors: string[] = [];
      const closes: number[] = [];
      client.on('envelope', (e) => seen.push(e.seq));
      client.on('error', (error) => errors.push(error.message));
      client.on('close', ({ code }) => closes.push(code));
      await client.connect();
      while (!seen.includes(3)) await delay(2);
      expect(seen).toEqual([1, 2, 3]);
      expect(errors).toEqual([expect.stringContaining('RESUME_FAILED')]);
      expect(closes).toEqual([4000]);
      expect(received.filter((m) => m.type === 'resume').map((m) => m.payload)).toEqual([
        { epoch: 'e', seq: 1 },
        { epoch: 'e', seq: 1 },
      ]);
    });

    it('gets what a node failed to deliver from the real server, on the same connection', async () => {
      // An adapter that loses one delivery on the way, as a broken transport would.
      class LossyAdapter extends MemoryDeliveryAdapter {
        override start(deliver: DeliverFn): void {
          super.start((stored) => {
            if (stored.envelope.seq !== 3) deliver(stored);
          });
        }
      }
      const { manager, url } = await startManager(defer, { adapter: new LossyAdapter() });
      const client = new UnifiedWsClient({ url, token: 'dev:alice', reconnect: false });
      defer(() => client.close());
      const seen: number[] = [];
      const gaps: unknown[] = [];
      const resumed: unknown[] = [];
      client.on('envelope', (e) => seen.push(e.seq));
      client.on('gap', (gap) => gaps.push(gap));
      client.on('resumed', (frame) => resumed.push(frame));
      await client.connect();
      for (let i = 1; i <= 6; i++) await manager.forUser('alice').send('tick', { i });
      while (seen.length < 6) await delay(2);
      await manager.forUser('alice').send('tick', { i: 7 });
      while (seen.length < 7) await delay(2);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(gaps).toEqual([{ epoch: expect.any(String), after: 2, seq: 4 }]);
      expect(resumed).toEqual([expect.objectContaining({ recovered: true })]);
      expect(manager.connectionCount('alice')).toBe(1);
    });
  });

  it('stops with UWS_ERR_CLIENT_UNAUTHORIZED on 401 and does not retry', async () => {
    const { manager, url } = await startManager(defer);
    const client = new UnifiedWsClient({ url, token: 'wrong', reconnect: { initialDelayMs: 5 } });
    defer(() => client.close());
    await expect(client.connect()).rejects.toMatchObject({
      code: 'UWS_ERR_CLIENT_UNAUTHORIZED',
      name: 'ClientError',
    });
    await delay(50);
    expect(manager.stats().refused.unauthorized).toBe(1);
  });

  it('resolves a request with its ack, rejects it with the error frame, and rejects pending requests on close', async () => {
    const router = new MessageRouter();
    router.on('add', (payload: { a: number; b: number }) => payload.a + payload.b);
    router.on('never', () => new Promise(() => undefined));
    const { url } = await startManager(defer, { router });
    const client = new UnifiedWsClient({ url, token: 'dev:alice', reconnect: false });
    defer(() => client.close());
    expect(() => client.send('add', {})).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_CLIENT_NOT_CONNECTED' }),
    );
    await client.connect();
    expect((await client.request('add', { a: 2, b: 3 })).payload).toBe(5);
    await expect(client.request('unknown')).rejects.toMatchObject({
      code: 'UWS_ERR_CLIENT_REQUEST_FAILED',
      frame: { code: 'UNKNOWN_TYPE' },
    });
    const pending = client.request('never');
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'UWS_ERR_CLIENT_CLOSED' });
  });

  describe('browser entry', () => {
    const global = globalThis as { WebSocket?: unknown };
    const original = global.WebSocket;
    afterEach(() => {
      global.WebSocket = original;
    });

    it('uses the global WebSocket with the token in the bearer subprotocol', async () => {
      global.WebSocket = WebSocket;
      const { manager, url } = await startManager(defer);
      const client = new BrowserClient({ url, token: 'dev:carol', reconnect: false });
      defer(() => client.close());
      const welcome = await client.connect();
      expect(welcome.userId).toBe('carol');
      expect(manager.isConnected('carol')).toBe(true);
    });

    it('fails with UWS_ERR_CLIENT_NO_WEBSOCKET where there is none', async () => {
      delete global.WebSocket;
      const client = new BrowserClient({ url: 'ws://127.0.0.1:1/ws', reconnect: false });
      await expect(client.connect()).rejects.toMatchObject({ code: 'UWS_ERR_CLIENT_NO_WEBSOCKET' });
    });
  });
});
