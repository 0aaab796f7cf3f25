import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers the plain HTTP requests of a server that also carries WebSocket upgrades. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The HTTP server the manager creates for `port`: plain requests get 426 (or go to `onRequest`:
 * `serve` answers its chat page there), and a client has `headersTimeoutMs` to send a complete
 * request or upgrade.
 */
export function createOwnServer(
  headersTimeoutMs: number,
  onRequest: RequestHandler = upgradeRequired,
): Server {
  const server = createServer(serverTimeouts(headersTimeoutMs), onRequest);
  // Node's own handling of a timed-out half-sent request left the socket open here (Node 20,
  // measured by test/manager/admission-limits.test.ts): destroy it.
  server.on('clientError', closeClientError);
  return server;
}

export function listen(server: Server, port: number | undefined, host?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops listening and ends every connection still open (the manager closed its own first). */
export function closeOwnServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Node closes a request whose headers (or whole request) take longer than this, but only looks
 * every `connectionsCheckingInterval` (30 s by default): check often enough that a half-sent
 * upgrade is closed within the timeout plus at most a second (a tenth of it when shorter).
 */
function serverTimeouts(timeoutMs: number): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    headersTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.ceil(timeoutMs / 10))),
  };
}

function closeClientError(_error: Error, socket: Duplex): void {
  socket.destroy();
}

function upgradeRequired(_request: IncomingMessage, response: ServerResponse): void {
  response
    .writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' })
    .end('This endpoint speaks WebSocket.');
}
