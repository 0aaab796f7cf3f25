import { connect, type Socket } from 'node:net';
import { OptionError } from '../../src/errors/option-error';
import { MANAGER_DEFAULTS, resolveOptions } from '../../src/manager/options';
import { devAuthenticate } from '../../src/manager/auth';
import WebSocket from 'ws';
import { refusedStatus, startManager, TestSocket, useCleanup } from '../helpers';

/** A raw TCP client that sends half an upgrade request; resolves `closed` when the server closes it. */
function halfSentUpgrade(
  port: number,
  partial: string,
): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      if (partial) socket.write(partial);
      resolve({ socket, closed });
    });
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now())));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** An open client, or the HTTP status of the refusal. */
function openOrStatus(url: string, token: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (request, response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    ws.on('open', () => resolve(ws));
  });
}

/**
 * Opens once the server admits it: a slot is released when the server's side of a socket closes,
 * which may be a moment after the client saw its own close. Retries a refusal for up to 3 s.
 */
async function openWhenAdmitted(url: string, token: string): Promise<WebSocket> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const result = await openOrStatus(url, token);
    if (typeof result !== 'number') return result;
    if (Date.now() > deadline) throw new Error(`still refused with ${result} after 3 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function closeClient(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.terminate();
  });
}

const HALF_UPGRADE =
  'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n';

describe('admission limits', () => {
  const defer = useCleanup();

  describe('options', () => {
    it('documents the defaults: 10 s headers timeout, 10000 connections, 100 per address', () => {
      expect(MANAGER_DEFAULTS.headersTimeoutMs).toBe(10_000);
      expect(MANAGER_DEFAULTS.maxConnections).toBe(10_000);
      expect(MANAGER_DEFAULTS.maxConnectionsPerAddress).toBe(100);
    });

    it.each(['headersTimeoutMs', 'maxConnections', 'maxConnectionsPerAddress'])(
      'rejects a non-positive or fractional %s with an OptionError',
      (key) => {
        for (const value of [0, -1, 1.5, Number.NaN]) {
          expect(() => resolveOptions({ authenticate: devAuthenticate, [key]: value })).toThrow(
            OptionError,
          );
        }
      },
    );
  });

  describe('half-sent upgrades on the server the manager creates', () => {
    it('closes every one within a bounded time after headersTimeoutMs', async () => {
      const { manager } = await startManager(defer, { headersTimeoutMs: 300 });
      const port = manager.address().port;
      const started = Date.now();
      const clients = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          halfSentUpgrade(port, i % 5 === 0 ? '' : HALF_UPGRADE.slice(0, 10 + (i % 40))),
        ),
      );
      defer(() => clients.forEach(({ socket }) => socket.destroy()));
      const closedAt = await Promise.race([
        Promise.all(clients.map(({ closed }) => closed)),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('half-sent upgrades still open after 3 s')), 3000),
        ),
      ]);
      const latest = Math.max(...closedAt) - started;
      expect(latest).toBeLessThan(2000);
      // Not before the timeout: the server waited for the headers, then gave up.
      expect(Math.min(...closedAt) - started).toBeGreaterThanOrEqual(250);
    });

    it('does not close an upgraded connection once the timeout has passed', async () => {
      const { url } = await startManager(defer, { headersTimeoutMs: 200 });
      const socket = await TestSocket.open(url, 'dev:alice');
      defer(() => socket.close());
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    });
  });

  describe('connection caps', () => {
    it('refuses the connection past maxConnections with HTTP 503; one closes, the next connects', async () => {
      const { manager, url } = await startManager(defer, { maxConnections: 2 });
      const alice = await TestSocket.open(url, 'dev:alice');
      const bob = await TestSocket.open(url, 'dev:bob');
      defer(() => bob.close());
      expect(await refusedStatus(url, { headers: { Authorization: 'Bearer dev:carol' } })).toBe(
        503,
      );
      expect(manager.stats().refused.overCapacity).toBe(1);
      await alice.close();
      const carol = await openWhenAdmitted(url, 'dev:carol');
      defer(() => closeClient(carol));
      expect(carol.readyState).toBe(WebSocket.OPEN);
    });

    it('refuses the connection past maxConnectionsPerAddress with HTTP 429; other addresses still connect', async () => {
      const { manager, url } = await startManager(defer, { maxConnectionsPerAddress: 2 });
      const first = await TestSocket.open(url, 'dev:alice');
      const second = await TestSocket.open(url, 'dev:bob');
      defer(() => second.close());
      expect(await refusedStatus(url, { headers: { Authorization: 'Bearer dev:carol' } })).toBe(
        429,
      );
      expect(manager.stats().refused.tooManyFromAddress).toBe(1);
      const elsewhere = await TestSocket.open(url, 'dev:dave', { localAddress: '127.0.0.2' });
      defer(() => elsewhere.close());
      await first.close();
      const carol = await openWhenAdmitted(url, 'dev:carol');
      defer(() => closeClient(carol));
      expect(carol.readyState).toBe(WebSocket.OPEN);
    });

    it('counts an upgrade refused later (401) only until its socket closes', async () => {
      const { manager, url } = await startManager(defer, { maxConnectionsPerAddress: 1 });
      for (let i = 0; i < 3; i++) expect(await refusedStatus(url, {})).toBe(401);
      const alice = await openWhenAdmitted(url, 'dev:alice');
      defer(() => closeClient(alice));
      expect(manager.stats().refused.unauthorized).toBe(3);
    });
  });
});
