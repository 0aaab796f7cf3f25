// Peers the client tests run against, besides the real WebSocketManager: a scripted ws server
// that speaks the protocol contract, and a TCP proxy that can black-hole its connections.
import { Socket, createServer, type Server } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope } from '../../src/protocol/envelope';
import { delay } from '../helpers';

type Closer = () => unknown;

export interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

export const envelope = (seq: number, type = 'tick', runId?: string): Envelope => ({
  v: 1,
  type,
  userId: 'u',
  ...(runId === undefined ? {} : { runId }),
  seq,
  epoch: 'e',
  ts: 0,
  payload: { seq },
});

export const welcome = (seq: number): string =>
  JSON.stringify({ type: 'welcome', v: 1, userId: 'u', connectionId: 'c', epoch: 'e', seq });

/** Polls `predicate` every 2 ms; fails with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(2);
  }
}

/**
 * A ws server on loopback: `onConnection(socket, index, protocols)` for each connection, and
 * every message clients sent, with the subprotocols each connection offered.
 */
export async function scriptedServer(
  defer: (closer: Closer) => void,
  onConnection: (socket: WebSocket, index: number) => void,
  onMessage: (socket: WebSocket, message: Message) => void = () => undefined,
) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  defer(() => new Promise((resolve) => server.close(resolve)));
  defer(() => server.clients.forEach((socket) => socket.terminate()));
  const received: Message[] = [];
  const offered: string[][] = [];
  const urls: string[] = [];
  server.on('connection', (socket, request) => {
    offered.push(
      String(request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    );
    urls.push(request.url ?? '');
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      received.push(message);
      onMessage(socket, message);
    });
    onConnection(socket, offered.length - 1);
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    server,
    url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`,
    received,
    offered,
    urls,
  };
}

/**
 * A TCP proxy on loopback to `target`. blackhole() stops forwarding both ways on every connection
 * open now, and keeps their sockets open: what a dead route or a sleeping NAT looks like to both
 * ends. Connections made afterwards are forwarded normally.
 */
export async function blackholeProxy(defer: (closer: Closer) => void, target: string) {
  const { hostname, port, pathname } = new URL(target);
  const pairs: { client: Socket; upstream: Socket; holed: boolean }[] = [];
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const pair = { client, upstream, holed: false };
    pairs.push(pair);
    upstream.connect(Number(port), hostname);
    client.on('data', (chunk) => pair.holed || upstream.write(chunk));
    upstream.on('data', (chunk) => pair.holed || client.write(chunk));
    client.on('close', () => pair.holed || upstream.destroy());
    upstream.on('close', () => pair.holed || client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  defer(() => new Promise((resolve) => server.close(resolve)));
  defer(() => pairs.forEach(({ client, upstream }) => (client.destroy(), upstream.destroy())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as { port: number }).port}${pathname}`,
    connections: () => pairs.length,
    blackhole: () => pairs.forEach((pair) => (pair.holed = true)),
  };
}
