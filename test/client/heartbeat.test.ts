import { UnifiedWsClient } from '../../src/client/node';
import { CLIENT_CLOSE_CODES } from '../../src/client/refusals';
import { HEARTBEAT_DEFAULTS } from '../../src/client/options';
import { MessageRouter } from '../../src/router/message-router';
import { delay, startManager, useCleanup } from '../helpers';
import { blackholeProxy, envelope, scriptedServer, until, welcome } from './peers';

describe('UnifiedWsClient heartbeat', () => {
  const defer = useCleanup();

  it('pings every 15 s of silence and waits 5 s for an answer, by default', () => {
    expect(HEARTBEAT_DEFAULTS).toEqual({ intervalMs: 15_000, timeoutMs: 5_000 });
  });

  it('behind a black-holed connection: gives it up, rejects what was pending, reconnects and resumes', async () => {
    const router = new MessageRouter();
    router.on('never', () => new Promise(() => undefined));
    const { manager, url } = await startManager(defer, { router, closeTimeoutMs: 100 });
    const proxy = await blackholeProxy(defer, url);
    const client = new UnifiedWsClient({
      url: proxy.url,
      token: 'dev:alice',
      heartbeat: { intervalMs: 40, timeoutMs: 40 },
      reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
    });
    defer(() => client.close());
    const seen: number[] = [];
    const closes: { code: number; reason: string; connected: boolean }[] = [];
    client.on('envelope', (e) => seen.push(e.seq));
    client.on('close', ({ code, reason }) =>
      closes.push({ code, reason, connected: client.connected }),
    );
    await client.connect();
    await manager.forUser('alice').send('tick', { n: 1 });
    await until(() => seen.length === 1, 'the first envelope');
    // Idle for several intervals: the pongs keep the connection.
    await delay(200);
    expect(closes).toEqual([]);
    expect(client.connected).toBe(true);

    proxy.blackhole();
    const pending = client.request('never', {}, { timeoutMs: 60_000 });
    // Sent into the hole: the server's socket is still open, so these are lost on the way.
    await manager.forUser('alice').send('tick', { n: 2 });
    await manager.forUser('alice').send('tick', { n: 3 });
    await expect(pending).rejects.toMatchObject({
      code: 'UWS_ERR_CLIENT_NOT_CONNECTED',
      closeCode: CLIENT_CLOSE_CODES.HEARTBEAT_TIMEOUT,
    });
    expect(closes).toEqual([
      { code: CLIENT_CLOSE_CODES.HEARTBEAT_TIMEOUT, reason: 'heartbeat timeout', connected: false },
    ]);
    await until(() => seen.length === 3, 'the lost envelopes, by the resume');
    expect(seen).toEqual([1, 2, 3]);
    expect(client.connected).toBe(true);
    expect(proxy.connections()).toBe(2);
  });

  it('pings only when nothing was received for intervalMs', async () => {
    let timer: ReturnType<typeof setInterval> | undefined;
    defer(() => clearInterval(timer));
    const { url, received } = await scriptedServer(
      defer,
      (socket) => {
        socket.send(welcome(0));
        let seq = 0;
        // Traffic every 10 ms for 150 ms, then silence.
        timer = setInterval(() => {
          if (++seq <= 15) socket.send(JSON.stringify(envelope(seq)));
        }, 10);
      },
      (socket, message) => {
        if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong', id: message.id }));
      },
    );
    const client = new UnifiedWsClient({ url, heartbeat: { intervalMs: 120, timeoutMs: 1000 } });
    defer(() => client.close());
    const seen: number[] = [];
    client.on('envelope', (e) => seen.push(e.seq));
    await client.connect();
    await until(() => seen.length === 15, 'the traffic');
    expect(received.filter((m) => m.type === 'ping')).toEqual([]);
    await until(() => received.some((m) => m.type === 'ping'), 'a ping in the silence');
    expect(received.find((m) => m.type === 'ping')).toEqual({
      type: 'ping',
      id: expect.stringMatching(/^p\d+$/),
    });
    expect(client.connected).toBe(true);
  });

  it('an older server that answers ping with UNKNOWN_TYPE keeps the connection, silently', async () => {
    const { url, received } = await scriptedServer(
      defer,
      (socket) => socket.send(welcome(0)),
      (socket, message) =>
        socket.send(
          JSON.stringify({ type: 'error', code: 'UNKNOWN_TYPE', message: 'no', id: message.id }),
        ),
    );
    const client = new UnifiedWsClient({ url, heartbeat: { intervalMs: 20, timeoutMs: 30 } });
    defer(() => client.close());
    const events: string[] = [];
    client.on('error', () => events.push('error'));
    client.on('close', () => events.push('close'));
    await client.connect();
    await until(() => received.length >= 4, 'four pings');
    expect(events).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it('a server that answers nothing is given up each time; heartbeat: false never pings', async () => {
    const { url, received } = await scriptedServer(defer, (socket) => socket.send(welcome(0)));
    const client = new UnifiedWsClient({
      url,
      heartbeat: { intervalMs: 20, timeoutMs: 20 },
      reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
    });
    defer(() => client.close());
    const closes: number[] = [];
    client.on('close', ({ code }) => closes.push(code));
    await client.connect();
    await until(() => closes.length >= 2, 'two heartbeat timeouts');
    expect(closes.slice(0, 2)).toEqual([4001, 4001]);
    client.close();

    const quiet = await scriptedServer(defer, (socket) => socket.send(welcome(0)));
    const off = new UnifiedWsClient({ url: quiet.url, heartbeat: false });
    defer(() => off.close());
    await off.connect();
    await delay(100);
    expect(quiet.received).toEqual([]);
    expect(off.connected).toBe(true);
    expect(received.every((m) => m.type === 'ping' || m.type === 'resume')).toBe(true);
  });
});
