import { UnifiedWsClient } from '../../src/client/node';
import { CLIENT_DEFAULTS, resolveClientOptions } from '../../src/client/options';
import { MessageRouter } from '../../src/router/message-router';
import { delay, startManager, useCleanup } from '../helpers';
import { scriptedServer, until, welcome } from './peers';

/** A router whose `echo` answers after `payload.ms`, and that records what it handled, in order. */
function echoRouter() {
  const handled: unknown[] = [];
  const router = new MessageRouter();
  router.on('echo', async (payload: { n?: number; ms?: number }) => {
    handled.push(payload.n);
    if (payload.ms) await delay(payload.ms);
    return payload.n;
  });
  router.on('never', () => new Promise(() => undefined));
  return { router, handled };
}

describe('UnifiedWsClient requests', () => {
  const defer = useCleanup();

  it('refuses a url that is not an absolute ws:// or wss:// URL when constructed', () => {
    for (const url of ['not a url', '/ws', 'http://127.0.0.1/ws', 'ftp://x'])
      expect(() => new UnifiedWsClient({ url })).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }),
      );
    for (const url of ['ws://127.0.0.1:1/ws', 'wss://example.test/ws?x=1'])
      expect(() => new UnifiedWsClient({ url })).not.toThrow();
  });

  describe('timeouts', () => {
    it('the default is 10 s, requestTimeoutMs changes it, and the options are checked', () => {
      expect(CLIENT_DEFAULTS.requestTimeoutMs).toBe(10_000);
      expect(resolveClientOptions({ url: 'ws://x' }).requestTimeoutMs).toBe(10_000);
      for (const requestTimeoutMs of [0, -1, NaN, 2 ** 31])
        expect(() => new UnifiedWsClient({ url: 'ws://x', requestTimeoutMs })).toThrow(
          expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }),
        );
    });

    it('a request unanswered within the client’s requestTimeoutMs rejects; a late answer is dropped', async () => {
      const { router, handled } = echoRouter();
      const { url } = await startManager(defer, { router });
      const client = new UnifiedWsClient({ url, token: 'dev:alice', requestTimeoutMs: 40 });
      defer(() => client.close());
      const errors: unknown[] = [];
      client.on('error', (error) => errors.push(error));
      await client.connect();
      await expect(client.request('echo', { n: 1, ms: 120 })).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_REQUEST_TIMEOUT',
        name: 'ClientError',
      });
      expect(handled).toEqual([1]);
      await delay(150); // the ack comes now, for a request no one waits for
      expect(errors).toEqual([]);
      // The connection is fine: the next request is answered.
      await expect(client.request('echo', { n: 2 })).resolves.toMatchObject({ payload: 2 });
    });

    it('timeoutMs of one call overrides the default, both ways', async () => {
      const { router } = echoRouter();
      const { url } = await startManager(defer, { router });
      const patient = new UnifiedWsClient({ url, token: 'dev:alice', requestTimeoutMs: 60_000 });
      const hasty = new UnifiedWsClient({ url, token: 'dev:bob', requestTimeoutMs: 40 });
      defer(() => patient.close());
      defer(() => hasty.close());
      await Promise.all([patient.connect(), hasty.connect()]);
      // Shorter: without the override this would wait a minute and time the test out.
      await expect(patient.request('never', {}, { timeoutMs: 15 })).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_REQUEST_TIMEOUT',
        message: expect.stringContaining('within 15 ms'),
      });
      // Longer: without it this would reject after 40 ms.
      await expect(
        hasty.request('echo', { n: 3, ms: 100 }, { timeoutMs: Infinity }),
      ).resolves.toMatchObject({ payload: 3 });
      await expect(hasty.request('echo', {}, { timeoutMs: -5 })).rejects.toMatchObject({
        code: 'UWS_ERR_INVALID_OPTION',
      });
    });

    it('a pending request rejects at once when its connection drops, and is not sent again', async () => {
      const { router, handled } = echoRouter();
      const { manager, url } = await startManager(defer, { router });
      const client = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
      });
      defer(() => client.close());
      await client.connect();
      const pending = client.request('echo', { n: 1, ms: 200 });
      await until(() => handled.length === 1, 'the request to be handled');
      manager.disconnect('alice', 4000, 'drop');
      await expect(pending).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_NOT_CONNECTED',
        closeCode: 4000,
      });
      await until(() => client.connected, 'the reconnect');
      await delay(30);
      expect(handled).toEqual([1]);
    });
  });

  describe('offline queue', () => {
    it('off (the default): a request while disconnected rejects at once', async () => {
      const { manager, url } = await startManager(defer);
      const client = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        reconnect: { initialDelayMs: 50, maxDelayMs: 50 },
      });
      defer(() => client.close());
      await expect(client.request('echo')).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_NOT_CONNECTED',
      });
      await client.connect();
      manager.disconnect('alice');
      await until(() => !client.connected, 'the drop');
      await expect(client.request('echo')).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_NOT_CONNECTED',
      });
    });

    it('holds requests while reconnecting, up to maxSize, and sends them in order after the resume', async () => {
      const { router, handled } = echoRouter();
      const { manager, url } = await startManager(defer, { router });
      const client = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        reconnect: { initialDelayMs: 60, maxDelayMs: 60 },
        random: () => 1,
        offlineQueue: { maxSize: 3 },
      });
      defer(() => client.close());
      const order: string[] = [];
      client.on('resumed', () => order.push('resumed'));
      await client.connect();
      manager.disconnect('alice', 4000, 'drop');
      await until(() => !client.connected, 'the drop');
      const queued = [1, 2, 3].map((n) =>
        client.request('echo', { n }).then((ack) => {
          order.push(`ack ${n}`);
          return ack.payload;
        }),
      );
      await expect(client.request('echo', { n: 4 })).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_QUEUE_FULL',
      });
      expect(handled).toEqual([]);
      await expect(Promise.all(queued)).resolves.toEqual([1, 2, 3]);
      expect(handled).toEqual([1, 2, 3]);
      expect(order).toEqual(['resumed', 'ack 1', 'ack 2', 'ack 3']);
    });

    it('sends nothing queued before the resume is answered, and keeps later requests behind', async () => {
      let resumed: (() => void) | undefined;
      const { url, received } = await scriptedServer(
        defer,
        (socket, index) => {
          socket.send(welcome(0));
          if (index === 0) setTimeout(() => socket.close(4000, 'drop'), 10);
        },
        (socket, message) => {
          if (message.type === 'resume')
            resumed = () =>
              socket.send(
                JSON.stringify({
                  type: 'resumed',
                  recovered: true,
                  replayed: 0,
                  epoch: 'e',
                  seq: 0,
                }),
              );
          else if (message.id !== undefined)
            socket.send(JSON.stringify({ type: 'ack', id: message.id, payload: message.payload }));
        },
      );
      const client = new UnifiedWsClient({
        url,
        reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
        offlineQueue: { maxSize: 5 },
      });
      defer(() => client.close());
      await client.connect();
      await until(() => !client.connected, 'the drop');
      const first = client.request('a', 1);
      await until(() => resumed !== undefined, 'the resume');
      expect(client.connected).toBe(true);
      // Connected, but the queue waits for `resumed`: a new request goes behind it.
      const second = client.request('b', 2);
      await delay(20);
      expect(received.map((m) => m.type)).toEqual(['resume']);
      resumed?.();
      await expect(Promise.all([first, second])).resolves.toMatchObject([
        { payload: 1 },
        { payload: 2 },
      ]);
      expect(received.map((m) => m.type)).toEqual(['resume', 'a', 'b']);
    });

    it('a queued request times out in the queue and is never sent', async () => {
      const { router, handled } = echoRouter();
      const { manager, url } = await startManager(defer, { router });
      const client = new UnifiedWsClient({
        url,
        token: 'dev:alice',
        reconnect: { initialDelayMs: 120, maxDelayMs: 120 },
        random: () => 1,
        offlineQueue: { maxSize: 1 },
      });
      defer(() => client.close());
      await client.connect();
      manager.disconnect('alice');
      await until(() => !client.connected, 'the drop');
      await expect(client.request('echo', { n: 1 }, { timeoutMs: 20 })).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_REQUEST_TIMEOUT',
      });
      // Its place in the queue is free again.
      const later = client.request('echo', { n: 2 });
      await expect(later).resolves.toMatchObject({ payload: 2 });
      expect(handled).toEqual([2]);
    });

    it('queued requests reject with the error that stops the client', async () => {
      const { url } = await scriptedServer(defer, (socket, index) => {
        if (index > 0) return socket.close(4401, 'unauthorized');
        socket.send(welcome(0));
        setTimeout(() => socket.close(4000, 'drop'), 20);
      });
      const client = new UnifiedWsClient({
        url,
        reconnect: { initialDelayMs: 20, maxDelayMs: 20 },
        offlineQueue: { maxSize: 2 },
      });
      defer(() => client.close());
      await client.connect();
      await until(() => !client.connected, 'the drop');
      await expect(client.request('x')).rejects.toMatchObject({
        code: 'UWS_ERR_CLIENT_UNAUTHORIZED',
        closeCode: 4401,
      });
      expect(client.state).toBe('idle');
    });
  });
});
