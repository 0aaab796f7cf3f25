import type { IncomingMessage } from 'node:http';
import type { UserContext } from '../agents/user-context';

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
 * The bearer token of an upgrade request: the `Authorization: Bearer` header, else the `token`
 * query parameter (browsers cannot set headers on a WebSocket).
 */
export function extractToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const token = new URLSearchParams(url.slice(query + 1)).get('token');
  return token === null || token === '' ? undefined : token;
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
