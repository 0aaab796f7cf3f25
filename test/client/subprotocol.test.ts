import {
  BEARER_PROTOCOL_PREFIX,
  SUBPROTOCOL,
  decodeBearerProtocol,
  encodeBearerProtocol,
} from '../../src/protocol/subprotocol';

// RFC 7230 `token`: what a Sec-WebSocket-Protocol value may be made of.
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A small seeded generator, so that a failure names the case that failed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('the bearer subprotocol', () => {
  const tokens = [
    'dev:alice',
    '',
    'a',
    'ab',
    'abc',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
    // Characters a header value or an HTTP token cannot carry.
    'with space, comma; "quotes" and \\ backslash',
    'line\r\nbreak\tand\u0000nul',
    '=+/ padding and base64 characters',
    // Unicode: accents, CJK, an emoji outside the BMP, a combining sequence.
    'jürgen-東京-🔑-é',
    '\u{10FFFF}\u{1F600}',
    'x'.repeat(10_000),
    '🔑'.repeat(2_000),
  ];

  it.each(
    tokens.map((token) => [
      token.length > 40 ? `${token.slice(0, 20)}… (${token.length})` : token,
      token,
    ]),
  )('round-trips %j as an HTTP token', (_name, token) => {
    const value = encodeBearerProtocol(token);
    expect(value.startsWith(BEARER_PROTOCOL_PREFIX)).toBe(true);
    expect(value).toMatch(HTTP_TOKEN);
    expect(value.slice(BEARER_PROTOCOL_PREFIX.length)).toBe(
      Buffer.from(token, 'utf8').toString('base64url'),
    );
    expect(decodeBearerProtocol(value)).toBe(token);
  });

  it('agrees with Node’s base64url on random bytes of every length up to 64', () => {
    const random = prng(14);
    for (let length = 0; length <= 64; length++) {
      for (let round = 0; round < 20; round++) {
        // Random code points (BMP and astral, no lone surrogates): valid UTF-8 either way.
        const points = Array.from({ length }, () => {
          const point = Math.floor(random() * 0x10ffff);
          return point >= 0xd800 && point <= 0xdfff ? 0x41 : point;
        });
        const token = String.fromCodePoint(...points);
        const value = encodeBearerProtocol(token);
        expect(value.slice(BEARER_PROTOCOL_PREFIX.length)).toBe(
          Buffer.from(token, 'utf8').toString('base64url'),
        );
        expect(decodeBearerProtocol(value)).toBe(token);
      }
    }
  });

  it('refuses what is not a canonical bearer subprotocol of UTF-8 text', () => {
    const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x41]).toString('base64url');
    for (const value of [
      SUBPROTOCOL,
      'unified-ws.bearer',
      'bearer.ZGV2OmFsaWNl',
      `${BEARER_PROTOCOL_PREFIX}ZGV2OmFsaWNl=`, // padding
      `${BEARER_PROTOCOL_PREFIX}ZGV2+mFsaWNl`, // base64, not base64url
      `${BEARER_PROTOCOL_PREFIX}ZGV2/mFsaWNl`,
      `${BEARER_PROTOCOL_PREFIX}ZGV2.mFsaWNl`,
      `${BEARER_PROTOCOL_PREFIX}A`, // a length no encoding has
      `${BEARER_PROTOCOL_PREFIX}QR`, // stray bits after the last byte
      `${BEARER_PROTOCOL_PREFIX}${invalidUtf8}`,
    ])
      expect([value, decodeBearerProtocol(value)]).toEqual([value, undefined]);
  });

  it('keeps a byte order mark and the empty token', () => {
    expect(decodeBearerProtocol(encodeBearerProtocol('\uFEFFtoken'))).toBe('\uFEFFtoken');
    expect(encodeBearerProtocol('')).toBe(BEARER_PROTOCOL_PREFIX);
    expect(decodeBearerProtocol(BEARER_PROTOCOL_PREFIX)).toBe('');
  });
});
