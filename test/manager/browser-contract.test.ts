import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket from 'ws';
import { devAuthenticate, extractToken, type Authenticate } from '../../src/manager/auth';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { CLOSE_CODES } from '../../src/protocol/codes';
import { encodeBearerProtocol, SUBPROTOCOL } from '../../src/protocol/subprotocol';
import { MessageRouter } from '../../src/router/message-router';
import {
  refusedStatus,
  startHttpServer,
  startManager,
  TestSocket,
  useCleanup,
  type Frame,
} from '../helpers';

/**
 * Issue 14, the server side of the browser contract: the token in a subprotocol, refusals a
 * browser can see (a completed upgrade closed with 4401/4403/4404/4429/4503 for a client that
 * offers unified-ws.v1) and the application-level ping/pong.
 */
const defer = useCleanup();

/** The protocols the browser client offers for `token`. */
const offer = (token?: string): string[] =>
  token === undefined ? [SUBPROTOCOL] : [SUBPROTOCOL, encodeBearerProtocol(token)];

interface Closed {
  code: number;
  reason: string;
  protocol: string;
}

/** Opens with the opt-in subprotocols and resolves with the close the server sent. */
function refusedByClose(
  url: string,
  protocols: string[],
  options: WebSocket.ClientOptions = {},
): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.on('unexpected-response', (request, response) => {
      request.destroy();
      reject(new Error(`refused with HTTP ${response.statusCode ?? 0}`));
    });
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) =>
      resolve({ code, reason: reason.toString(), protocol: ws.protocol }),
    );
  });
}

/** A raw upgrade request: the status and headers of the answer, and the socket when upgraded. */
function rawUpgrade(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; socket?: Socket }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    request.on('upgrade', (response, socket) => {
      socket.on('error', () => undefined);
      defer(() => socket.destroy());
      resolve({ status: response.statusCode ?? 0, headers: response.headers, socket });
    });
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    request.on('error', reject);
    request.end();
  });
}

/** Waits until `condition` holds (polling), or fails after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Counts every connection the manager registered, to prove that a refusal registers none. */
function countConnects(manager: WebSocketManager): { connects: number } {
  const seen = { connects: 0 };
  manager.on('connect', () => seen.connects++);
  return seen;
}

describe('the token in a subprotocol', () => {
  it('selects unified-ws.v1, never the bearer subprotocol, and authenticates with its token', async () => {
    const { manager, url } = await startManager(defer);
    const seen = countConnects(manager);
    const ws = new WebSocket(url, offer('dev:alice'));
    defer(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe(SUBPROTOCOL);
    await until(() => manager.isConnected('alice'));
    expect(seen.connects).toBe(1);
  });

  it('selects no subprotocol for a client that offers only the bearer one', async () => {
    const { manager } = await startManager(defer);
    const answer = await rawUpgrade(manager.address().port, '/ws', {
      'Sec-WebSocket-Protocol': encodeBearerProtocol('dev:alice'),
    });
    expect(answer.status).toBe(101);
    expect(answer.headers['sec-websocket-protocol']).toBeUndefined();
    await until(() => manager.isConnected('alice'));
  });

  it('reads the Authorization header first, then the bearer subprotocol, then the query', () => {
    const upgrade = (url: string, headers: Record<string, string>) =>
      ({ url, headers }) as unknown as Parameters<typeof extractToken>[0];
    const protocol = `${SUBPROTOCOL}, ${encodeBearerProtocol('dev:from-protocol')}`;
    expect(
      extractToken(
        upgrade('/ws?token=dev:from-query', {
          authorization: 'Bearer dev:from-header',
          'sec-websocket-protocol': protocol,
        }),
      ),
    ).toBe('dev:from-header');
    expect(
      extractToken(upgrade('/ws?token=dev:from-query', { 'sec-websocket-protocol': protocol })),
    ).toBe('dev:from-protocol');
    // A bearer subprotocol that is not base64url of UTF-8 is no token: the query still counts.
    expect(
      extractToken(
        upgrade('/ws?token=dev:from-query', {
          'sec-websocket-protocol': `${SUBPROTOCOL}, unified-ws.bearer.!!`,
        }),
      ),
    ).toBe('dev:from-query');
    expect(extractToken(upgrade('/ws', { 'sec-websocket-protocol': SUBPROTOCOL }))).toBe(undefined);
  });

  it('carries any token, unicode and characters a header cannot hold, through the real upgrade', async () => {
    const tokens: (string | undefined)[] = [];
    const authenticate: Authenticate = (_request, token) => {
      tokens.push(token);
      return 'alice';
    };
    const { manager, url } = await startManager(defer, { authenticate });
    const token = `ünïcødé ✓ "quoted", ; = \r\n${'x'.repeat(2000)}`;
    const ws = new WebSocket(url, offer(token));
    defer(() => ws.terminate());
    await new Promise((resolve) => ws.once('open', resolve));
    await until(() => manager.isConnected('alice'));
    expect(tokens).toEqual([token]);
  });
});

describe('refusals a browser can see (the client offers unified-ws.v1)', () => {
  it('401 → the upgrade completes and closes with 4401, counted, nothing registered', async () => {
    const { manager, url } = await startManager(defer);
    const seen = countConnects(manager);
    for (const protocols of [offer('not-a-dev-token'), offer()]) {
      const closed = await refusedByClose(url, protocols);
      expect(closed).toEqual({
        code: CLOSE_CODES.UNAUTHORIZED,
        reason: 'unauthorized',
        protocol: SUBPROTOCOL,
      });
    }
    expect(manager.stats().refused.unauthorized).toBe(2);
    expect(seen.connects).toBe(0);
    expect(manager.stats()).toMatchObject({ users: 0, connections: 0 });
  });

  it('calls the authenticator before the upgrade, as without the opt-in', async () => {
    const order: string[] = [];
    const authenticate: Authenticate = async () => {
      order.push('authenticate');
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('refused');
      return null;
    };
    const { url } = await startManager(defer, { authenticate });
    const ws = new WebSocket(url, offer('dev:alice'));
    ws.on('upgrade', () => order.push('upgrade'));
    ws.on('error', () => undefined);
    const code = await new Promise<number>((resolve) => ws.on('close', resolve));
    expect(code).toBe(CLOSE_CODES.UNAUTHORIZED);
    expect(order).toEqual(['authenticate', 'refused', 'upgrade']);
  });

  it('404 → 4404 on a path of the server the manager owns; the authenticator is not called', async () => {
    let calls = 0;
    const { manager } = await startManager(defer, {
      authenticate: (request, token) => {
        calls++;
        return devAuthenticate(request, token);
      },
    });
    const wrong = `ws://127.0.0.1:${manager.address().port}/wrong`;
    expect((await refusedByClose(wrong, offer('dev:alice'))).code).toBe(CLOSE_CODES.NOT_FOUND);
    expect(manager.stats().refused.notFound).toBe(1);
    expect(calls).toBe(0);
  });

  it('leaves another listener’s path alone on a shared server', async () => {
    const server = await startHttpServer(defer);
    const manager = new WebSocketManager({
      server,
      authenticate: devAuthenticate,
      register: false,
    });
    defer(() => manager.close());
    await manager.ready();
    const other = new WebSocket.Server({ noServer: true });
    defer(() => other.close());
    server.on('upgrade', (request, socket, head) => {
      if (request.url !== '/other') return;
      other.handleUpgrade(request, socket, head, (ws) => ws.close(4321, 'the other listener'));
    });
    const port = (server.address() as AddressInfo).port;
    const closed = await refusedByClose(`ws://127.0.0.1:${port}/other`, offer('dev:alice'));
    expect(closed.code).toBe(4321);
    expect(manager.stats().refused.notFound).toBe(0);
  });

  it('403 → 4403 for an Origin outside allowedOrigins', async () => {
    const { manager, url } = await startManager(defer, {
      allowedOrigins: ['https://app.example'],
    });
    const closed = await refusedByClose(url, offer('dev:alice'), {
      origin: 'https://evil.example',
    });
    expect(closed.code).toBe(CLOSE_CODES.FORBIDDEN);
    expect(manager.stats().refused.forbiddenOrigin).toBe(1);
  });

  it('429 → 4429 past maxConnectionsPerUser; the open connection is untouched', async () => {
    const { manager, url } = await startManager(defer, { maxConnectionsPerUser: 1 });
    const first = await TestSocket.open(url, 'dev:alice');
    defer(() => first.close());
    expect((await refusedByClose(url, offer('dev:alice'))).code).toBe(
      CLOSE_CODES.TOO_MANY_REQUESTS,
    );
    expect(manager.stats().refused.tooManyConnections).toBe(1);
    expect(manager.connectionCount('alice')).toBe(1);
    await manager.forUser('alice').send('still_here', {});
    await first.waitFor((frame) => frame.type === 'still_here');
  });

  it('503 → 4503 while the manager shuts down', async () => {
    const server = await startHttpServer(defer);
    const manager = new WebSocketManager({
      authenticate: devAuthenticate,
      register: false,
      closeTimeoutMs: 3000,
    });
    server.on(
      'upgrade',
      (request, socket, head) => void manager.handleUpgrade(request, socket, head),
    );
    await manager.ready();
    const port = (server.address() as AddressInfo).port;
    // A client that never answers the close keeps the shutdown waiting for closeTimeoutMs.
    const stuck = await rawUpgrade(port, '/ws', { Authorization: 'Bearer dev:stuck' });
    expect(stuck.status).toBe(101);
    stuck.socket?.pause();
    await until(() => manager.isConnected('stuck'));
    const closing = manager.close();
    defer(() => closing);
    const closed = await refusedByClose(`ws://127.0.0.1:${port}/ws`, offer('dev:alice'));
    expect(closed.code).toBe(CLOSE_CODES.UNAVAILABLE);
    expect(manager.stats().refused.unavailable).toBe(1);
    stuck.socket?.destroy();
    await closing;
  });

  it('without the opt-in the same refusals stay HTTP statuses before any upgrade', async () => {
    const { manager, url } = await startManager(defer);
    // A client offering only the bearer subprotocol has not opted in either.
    expect(
      await refusedStatus(url, {
        headers: { 'Sec-WebSocket-Protocol': encodeBearerProtocol('bad') },
      }),
    ).toBe(401);
    expect(await refusedStatus(url.replace('/ws', '/nope'), {})).toBe(404);
    expect(manager.stats().refused).toMatchObject({ unauthorized: 1, notFound: 1 });
  });

  it('applies the admission limits first: past them even an opted-in client gets the HTTP status', async () => {
    const { manager, url } = await startManager(defer, { maxConnectionsPerAddress: 1 });
    const alice = await TestSocket.open(url, 'dev:alice');
    // The wrong path is not looked at: completing this upgrade would pass the address's cap.
    const status = await refusedStatus(url.replace('/ws', '/wrong'), {
      headers: { 'Sec-WebSocket-Protocol': offer('dev:bob').join(', ') },
    });
    expect(status).toBe(429);
    expect(manager.stats().refused).toMatchObject({ tooManyFromAddress: 1, notFound: 0 });
    await alice.close();
    await until(() => manager.connectionCount() === 0);
  });

  it('counts a refused opt-in upgrade against the caps until its socket closes', async () => {
    const { manager, url } = await startManager(defer, {
      maxConnectionsPerAddress: 1,
      slowConsumerGraceMs: 10_000,
    });
    const refused = await rawUpgrade(manager.address().port, '/ws', {
      'Sec-WebSocket-Protocol': offer('bad').join(', '),
    });
    expect(refused.status).toBe(101);
    // Its socket is still open (it does not answer the close): it holds the address's one slot.
    expect(await refusedStatus(url, { headers: { Authorization: 'Bearer dev:alice' } })).toBe(429);
    refused.socket?.destroy();
    await until(() => manager.stats().refused.tooManyFromAddress === 1);
    const deadline = Date.now() + 3000;
    let alice: TestSocket | undefined;
    while (alice === undefined) {
      alice = await TestSocket.open(url, 'dev:alice').catch(() => undefined);
      if (alice === undefined && Date.now() > deadline) throw new Error('never admitted');
    }
    defer(() => alice?.close());
    expect(manager.stats().refused).toMatchObject({ unauthorized: 1, tooManyFromAddress: 1 });
  });

  it('terminates a refused client that does not answer its close within slowConsumerGraceMs', async () => {
    const { manager } = await startManager(defer, { slowConsumerGraceMs: 100 });
    const refused = await rawUpgrade(manager.address().port, '/ws', {
      'Sec-WebSocket-Protocol': offer('bad').join(', '),
    });
    expect(refused.status).toBe(101);
    expect(refused.headers['sec-websocket-protocol']).toBe(SUBPROTOCOL);
    const socket = refused.socket as Socket;
    // Never answers the close frame; the server ends the socket on its own.
    const ended = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    const started = Date.now();
    socket.on('data', () => undefined);
    expect((await ended) - started).toBeLessThan(2000);
  });
});

describe('the application-level heartbeat', () => {
  it('answers ping with pong and the ping’s id, without the router', async () => {
    const router = new MessageRouter();
    const { url } = await startManager(defer, { router });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    socket.send({ type: 'ping', id: 'hb-1' });
    expect(await socket.waitFor((frame) => frame.type === 'pong')).toEqual({
      type: 'pong',
      id: 'hb-1',
    });
    socket.send({ type: 'ping' });
    await socket.waitForCount((frame) => frame.type === 'pong', 2);
    expect(socket.frames.filter((frame) => frame.type === 'pong')[1]).toEqual({ type: 'pong' });
    expect(socket.frames.some((frame) => frame.type === 'error')).toBe(false);
  });

  it('is rate limited like any message: a ping flood is a flood', async () => {
    const { manager, url } = await startManager(defer, {
      rateLimit: { messages: 3, intervalMs: 60_000 },
    });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    for (let i = 0; i < 6; i++) socket.send({ type: 'ping', id: `p${i}` });
    const limited = await socket.waitFor((frame) => frame.type === 'error');
    expect(limited).toMatchObject({ code: 'RATE_LIMITED' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pongs = socket.frames.filter((frame: Frame) => frame.type === 'pong');
    expect(pongs.map((frame) => frame.id)).toEqual(['p0', 'p1', 'p2']);
    expect(manager.stats().rateLimited).toBe(3);
  });

  it('reserves ping for the manager and pong for control frames', async () => {
    const { manager } = await startManager(defer);
    expect(() => manager.router.on('ping', () => undefined)).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_RESERVED_TYPE' }),
    );
    expect(() => manager.forUser('alice').send('pong', {})).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_RESERVED_TYPE' }),
    );
  });
});
