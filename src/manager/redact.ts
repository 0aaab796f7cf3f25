import type { IncomingMessage } from 'node:http';
import { BEARER_PROTOCOL_PREFIX, decodeBearerProtocol } from '../protocol/subprotocol';

const REDACTED = '[redacted]';

/** Query parameters that carry a credential, whatever their case (`token`, `Token`, `ACCESS_TOKEN`). */
const SECRET_PARAM = /^(?:access_)?token$/i;

/** `token=…` or `access_token=…` anywhere in a text (a URL an authenticator put in its message). */
const PARAM_IN_TEXT = /(\b(?:access_)?token=)[^&#\s"'<>]*/gi;

/** `Authorization: <scheme> <credential>`, `"authorization":"…"` and a bare `Bearer <credential>`. */
const AUTHORIZATION_IN_TEXT =
  /(\bauthorization["']?\s*[:=]\s*["']?)([A-Za-z][\w-]*\s+)?[^\s"',;}]+/gi;
const BEARER_IN_TEXT = /(\bbearer\s+)[^\s"',;}]+/gi;
/** A bearer subprotocol (`unified-ws.bearer.<base64url>`) anywhere in a text. */
const BEARER_PROTOCOL_IN_TEXT = new RegExp(
  `(${BEARER_PROTOCOL_PREFIX.replace(/\./g, '\\.')})[A-Za-z0-9_-]*`,
  'gi',
);

/**
 * Removes the credentials of an upgrade request from a text bound for the logs (an authenticator's
 * error message): the extracted token, the value of every `token` / `access_token` query parameter
 * in any case and however often it is repeated, every `Authorization` header (whatever the case
 * of its name or scheme) and every bearer subprotocol offered in `Sec-WebSocket-Protocol` — each
 * as sent, decoded and URL-encoded — and then anything that still looks like one of them.
 */
export function redactCredentials(
  text: string,
  request: IncomingMessage,
  token: string | undefined,
): string {
  const secrets = new Set<string>();
  const add = (value: string | undefined): void => {
    if (!value) return;
    secrets.add(value);
    const encoded = encodeURIComponent(value);
    secrets.add(encoded);
    secrets.add(encoded.replace(/%20/g, '+'));
    secrets.add(encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  };
  add(token);
  for (const value of queryCredentials(request.url ?? '')) add(value);
  for (const value of authorizationHeaders(request)) {
    add(value);
    add(/^\S+\s+(.+)$/.exec(value)?.[1]?.trim());
  }
  for (const value of bearerProtocols(request)) {
    add(value.slice(BEARER_PROTOCOL_PREFIX.length));
    add(decodeBearerProtocol(value));
  }
  let redacted = text;
  // Longest first, so that a secret containing another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    redacted = redacted.split(secret).join(REDACTED);
  return redacted
    .replace(PARAM_IN_TEXT, `$1${REDACTED}`)
    .replace(AUTHORIZATION_IN_TEXT, `$1$2${REDACTED}`)
    .replace(BEARER_IN_TEXT, `$1${REDACTED}`)
    .replace(BEARER_PROTOCOL_IN_TEXT, `$1${REDACTED}`);
}

/** Every value of a credential parameter in the query, both as sent and decoded. */
function queryCredentials(url: string): string[] {
  const start = url.indexOf('?');
  if (start === -1) return [];
  const end = url.indexOf('#', start);
  const query = url.slice(start + 1, end === -1 ? undefined : end);
  const values: string[] = [];
  for (const pair of query.split(/[&;]/)) {
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    if (!SECRET_PARAM.test(decode(pair.slice(0, equals)))) continue;
    const raw = pair.slice(equals + 1);
    values.push(raw, decode(raw));
  }
  return values;
}

function decode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** The values of every Authorization header as sent (Node keeps only the first in `headers`). */
function authorizationHeaders(request: IncomingMessage): string[] {
  const values: string[] = [];
  const raw = request.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]?.toLowerCase() === 'authorization') values.push((raw[i + 1] ?? '').trim());
  const parsed = request.headers?.authorization;
  if (parsed !== undefined) values.push(parsed.trim());
  return values;
}

/**
 * Every bearer subprotocol offered, from each raw `Sec-WebSocket-Protocol` header: also the ones
 * that do not decode (a malformed token is still a credential) and repeated headers.
 */
function bearerProtocols(request: IncomingMessage): string[] {
  const values: string[] = [];
  const raw = request.rawHeaders ?? [];
  const headers: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]?.toLowerCase() === 'sec-websocket-protocol') headers.push(raw[i + 1] ?? '');
  const parsed = request.headers?.['sec-websocket-protocol'];
  if (parsed !== undefined) headers.push(parsed);
  for (const header of headers)
    for (const value of header.split(','))
      if (value.trim().toLowerCase().startsWith(BEARER_PROTOCOL_PREFIX)) values.push(value.trim());
  return values;
}
