// The WebSocket subprotocols of unified-ws. Shared by the server and the browser client, so
// nothing here imports a Node module: the base64url code is our own (no Buffer, no btoa/atob,
// which only take Latin-1), on TextEncoder/TextDecoder, which browsers and Node both have.

/**
 * The protocol version a client offers. Offering it opts in to refusals a browser can see: the
 * server completes the upgrade and closes with 4401/4403/4404/4429/4503 instead of answering an
 * HTTP status that browsers hide from scripts.
 */
export const SUBPROTOCOL = 'unified-ws.v1';

/**
 * Browsers cannot set headers on a WebSocket, and a token in the URL ends up in consoles, proxies
 * and access logs. So the browser client offers the token as a second subprotocol:
 * `unified-ws.bearer.<token as base64url without padding>`. The server never selects it.
 */
export const BEARER_PROTOCOL_PREFIX = 'unified-ws.bearer.';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES: Readonly<Record<string, number>> = Object.fromEntries(
  [...ALPHABET].map((char, index) => [char, index]),
);

/**
 * The subprotocol that carries `token`. Subprotocol values must be HTTP tokens (RFC 6455 §4.1,
 * RFC 7230 tchar), which a raw bearer token need not be; base64url's alphabet always is.
 */
export function encodeBearerProtocol(token: string): string {
  return BEARER_PROTOCOL_PREFIX + base64url(new TextEncoder().encode(token));
}

/**
 * The token in an offered subprotocol, or undefined when `value` is not a bearer subprotocol or
 * not valid base64url of UTF-8 text (never throws: the value comes from the network).
 */
export function decodeBearerProtocol(value: string): string | undefined {
  if (!value.startsWith(BEARER_PROTOCOL_PREFIX)) return undefined;
  const bytes = fromBase64url(value.slice(BEARER_PROTOCOL_PREFIX.length));
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += ALPHABET[a >> 2];
    out += ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)];
    if (b !== undefined) out += ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)];
    if (c !== undefined) out += ALPHABET[c & 63];
  }
  return out;
}

/** Strict: only the base64url alphabet, no padding, and no stray bits in the last character. */
function fromBase64url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let pending = 0;
  let at = 0;
  for (const char of text) {
    const value = VALUES[char];
    if (value === undefined) return undefined;
    bits = (bits << 6) | value;
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      bytes[at++] = (bits >> pending) & 0xff;
      bits &= (1 << pending) - 1;
    }
  }
  // The leftover bits are padding: a canonical encoding leaves them zero.
  return bits === 0 ? bytes : undefined;
}
