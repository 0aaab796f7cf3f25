import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { UnifiedWsClient as BrowserClient } from '../../src/client/index';
import { UnifiedWsClient } from '../../src/client/node';
import type { Envelope } from '../../src/protocol/envelope';
import { MessageRouter } from '../../src/router/message-router';
import { delay, startManager, useCleanup } from '../helpers';

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
    const envelope = (seq: number): Envelope => ({
      v: 1,
      type: 'tick',
      userId: 'u',
      seq,
      epoch: 'e',
      ts: 0,
      payload: {},
    });
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

    it('uses the global WebSocket with the token in the query string', async () => {
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
