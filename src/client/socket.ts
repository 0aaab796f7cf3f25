import { ClientError } from '../errors/client-error';
import { SUBPROTOCOL, encodeBearerProtocol } from '../protocol/subprotocol';

/** The part of the WebSocket API the client uses: the browser's and ws's both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** ws's: destroys the socket at once, without a closing handshake. Browsers have none. */
  terminate?(): void;
}

/** Where the global WebSocket factory puts the token (see ClientOptions.tokenTransport). */
export type TokenTransport = 'protocol' | 'query';

export interface SocketFactoryOptions {
  tokenTransport: TokenTransport;
}

/**
 * Opens a socket to `url` presenting `token`, offering the `unified-ws.v1` subprotocol (so that
 * the server's refusals come as close codes the client can read).
 */
export type SocketFactory = (
  url: string,
  token: string | undefined,
  options?: SocketFactoryOptions,
) => WebSocketLike;

type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

/**
 * The global WebSocket (browsers, Node ≥ 22). Browsers cannot set headers on a WebSocket, so the
 * token goes in the `unified-ws.bearer.<base64url>` subprotocol (out of URLs, consoles and access
 * logs), or with `tokenTransport: 'query'` in the `token` query parameter.
 */
export const globalWebSocketFactory: SocketFactory = (url, token, options) => {
  const WebSocketImpl = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketImpl) throw new ClientError('UWS_ERR_CLIENT_NO_WEBSOCKET');
  if (token === undefined) return new WebSocketImpl(url, [SUBPROTOCOL]);
  if (options?.tokenTransport === 'query') {
    const target = new URL(url);
    target.searchParams.set('token', token);
    return new WebSocketImpl(target.toString(), [SUBPROTOCOL]);
  }
  return new WebSocketImpl(url, [SUBPROTOCOL, encodeBearerProtocol(token)]);
};

/** Leaves a socket for good: nothing it does later reaches the client. */
export function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // ws emits `error` on a socket closed while connecting; with no listener that would throw.
  socket.onerror = () => undefined;
}

/** The HTTP status of a refused upgrade, where the platform reports one (ws: "Unexpected server response: 401"). */
export function refusedStatus(event: unknown): number | undefined {
  const message = (event as { message?: unknown } | null)?.message;
  const match = /Unexpected server response: (\d{3})\b/.exec(String(message ?? ''));
  return match ? Number(match[1]) : undefined;
}
