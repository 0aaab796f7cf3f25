import type { IncomingMessage } from 'node:http';
import type { UserContext } from '../agents/user-context';
import { BEARER_PROTOCOL_PREFIX, decodeBearerProtocol, SUBPROTOCOL } from '../protocol/subprotocol';

/** What `authenticate` returns: the user (an id or a context), or a refusal. */
export type AuthResult = string | UserContext | null | undefined | false;

/**
 * Decides who a WebSocket upgrade belongs to, before the upgrade happens. Throwing or returning a
 * refusal answers HTTP 401 and destroys the socket. `token` is already extracted (see
 * extractToken); never log it.
 */
export type Authenticate = (
  request: IncomingMessage,
  token: string | undefined,
) => AuthResult | Promise<AuthResult>;

/**
 * The bearer token of an upgrade request: the `Authorization: Bearer` header (Node clients), else
 * the offered `unified-ws.bearer.<base64url>` subprotocol (browsers, which cannot set headers on a
 * WebSocket), else the `token` query parameter (older browser clients; it shows in URLs and logs).
 */
export function extractToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  for (const protocol of offeredProtocols(request)) {
    if (!protocol.startsWith(BEARER_PROTOCOL_PREFIX)) continue;
    const token = decodeBearerProtocol(protocol);
    if (token) return token;
  }
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const token = new URLSearchParams(url.slice(query + 1)).get('token');
  return token === null || token === '' ? undefined : token;
}

/** The subprotocols a WebSocket upgrade offers, in order (`Sec-WebSocket-Protocol`, comma-separated). */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * Whether the client offered `unified-ws.v1`: it then opts in to refusals it can see (a completed
 * upgrade closed with 4401/4403/4404/4429/4503 instead of an HTTP status, which browsers hide).
 */
export function offersSubprotocol(request: IncomingMessage): boolean {
  return offeredProtocols(request).includes(SUBPROTOCOL);
}

/**
 * `--dev-auth`: accepts `dev:<userId>` and refuses everything else. For local development and
 * demos only: anyone can claim any user id.
 */
export const devAuthenticate: Authenticate = (_request, token) => {
  if (token === undefined || !token.startsWith('dev:')) return null;
  const userId = token.slice(4);
  return /^[\w.@-]{1,128}$/.test(userId) ? userId : null;
};
