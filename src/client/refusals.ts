import type { ErrorCode } from '../errors/codes';
import { CLOSE_CODES } from '../protocol/codes';

/**
 * Close codes the client itself reports (4000–4099 are the client's; the server's are in
 * CLOSE_CODES). They are what the `close` and `connect_error` events carry when the client gave a
 * connection up; the server sees them too when the close frame still reaches it.
 */
export const CLIENT_CLOSE_CODES = {
  /** The resume failed (RESUME_FAILED, or rate-limited past the bound): resume on a new connection. */
  RESUME_RETRY: 4000,
  /** Nothing arrived within heartbeat.timeoutMs after a ping: the connection is dead. */
  HEARTBEAT_TIMEOUT: 4001,
  /** No welcome within connectTimeoutMs. */
  CONNECT_TIMEOUT: 4002,
} as const;

/**
 * The refusals no retry can change, by the close code a server that saw `unified-ws.v1` sends, or
 * by the HTTP status where the platform exposes it (ws in Node). 429 and 503 (4429, 4503) are not
 * here: they pass, so they are retried with backoff.
 */
export function refusalOf(
  closeCode: number | undefined,
  httpStatus: number | undefined,
): ErrorCode | undefined {
  if (closeCode === CLOSE_CODES.UNAUTHORIZED || httpStatus === 401)
    return 'UWS_ERR_CLIENT_UNAUTHORIZED';
  if (closeCode === CLOSE_CODES.FORBIDDEN || httpStatus === 403) return 'UWS_ERR_CLIENT_FORBIDDEN';
  if (closeCode === CLOSE_CODES.NOT_FOUND || httpStatus === 404) return 'UWS_ERR_CLIENT_NOT_FOUND';
  return undefined;
}
