import WebSocket from 'ws';
import type { Authenticate } from '../../src/manager/auth';
import type { Logger } from '../../src/manager/options';
import { CLOSE_CODES } from '../../src/protocol/codes';
import { encodeBearerProtocol, SUBPROTOCOL } from '../../src/protocol/subprotocol';
import { startManager, useCleanup } from '../helpers';

/**
 * Issue 13: an authenticator that puts the request (URL, headers, token) in its error message must
 * not get a credential into the logs, however the client sent it.
 */
const defer = useCleanup();

/** Throws with everything a careless authenticator could echo back. */
const leakyAuthenticate: Authenticate = (request, token) => {
  const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
  throw new Error(
    [
      `refused ${request.url ?? ''}`,
      `token=${String(token)} encoded=${encodeURIComponent(token ?? '')}`,
      `params=${JSON.stringify([...query.entries()])}`,
      `headers=${JSON.stringify(request.headers)}`,
      `raw=${request.rawHeaders.join(' ')}`,
    ].join('\n'),
  );
};

/**
 * The log of one refused upgrade. With `protocols` the client opts in (unified-ws.v1): the refusal
 * is then the close code 4401 instead of the HTTP status 401.
 */
async function loggedRefusal(
  query: string,
  headers: Record<string, string> = {},
  protocols: string[] = [],
): Promise<string> {
  const lines: string[] = [];
  const logger: Logger = {
    warn: (message, meta) => lines.push(`${message} ${JSON.stringify(meta)}`),
    error: (message, meta) => lines.push(`${message} ${JSON.stringify(meta)}`),
  };
  const { url } = await startManager(defer, { authenticate: leakyAuthenticate, logger });
  const ws = new WebSocket(`${url}${query}`, protocols, { headers });
  const status = await new Promise<number>((resolve) => {
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => undefined);
  });
  expect(status).toBe(protocols.includes(SUBPROTOCOL) ? CLOSE_CODES.UNAUTHORIZED : 401);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('authenticate threw');
  expect(lines[0]).toContain('[redacted]');
  return lines.join('\n');
}

describe('credentials never reach the logs', () => {
  it('a URL-encoded token in the query, as sent and decoded', async () => {
    const log = await loggedRefusal('?token=dev%3Aalice');
    expect(log).not.toMatch(/alice/);
  });

  it('repeated token and access_token parameters in any case, encoded or not', async () => {
    const log = await loggedRefusal(
      '?token=one%2Bsecret&token=two-secret&access_token=three%20secret&Token=four-secret' +
        '&ACCESS_TOKEN=five+secret&x=keep-me',
    );
    expect(log).not.toMatch(/secret/i);
    expect(log).toContain('keep-me');
  });

  it('the Authorization header whatever the case of its name and scheme', async () => {
    const log = await loggedRefusal('', { AUTHORIZATION: 'bearer dev:s3cr3t-bob' });
    expect(log).not.toMatch(/s3cr3t/);
  });

  it('an Authorization header with a scheme other than Bearer', async () => {
    const log = await loggedRefusal('?token=dev%3Aq-s3cr3t', {
      authorization: 'Basic czNjcjN0OnBhc3N3b3Jk',
    });
    expect(log).not.toMatch(/s3cr3t|czNjcjN0OnBhc3N3b3Jk/);
  });

  it('the bearer subprotocol, encoded and decoded, with and without the opt-in', async () => {
    for (const protocols of [
      [SUBPROTOCOL, encodeBearerProtocol('dev:pr0t0-s3cr3t ✓')],
      [encodeBearerProtocol('dev:pr0t0-s3cr3t ✓')],
    ]) {
      const log = await loggedRefusal('', {}, protocols);
      expect(log).not.toMatch(/s3cr3t/);
      expect(log).not.toContain(encodeBearerProtocol('dev:pr0t0-s3cr3t ✓').slice(18));
      expect(log).toContain('unified-ws.bearer.[redacted]');
    }
  });

  it('a bearer subprotocol that does not decode, and a second one', async () => {
    const log = await loggedRefusal('', {}, [
      SUBPROTOCOL,
      'unified-ws.bearer.bm90LWJhc2U2NHVybA!!',
      encodeBearerProtocol('second-s3cr3t'),
    ]);
    expect(log).not.toMatch(/s3cr3t|bm90LWJhc2U2NHVybA/);
  });

  it('keeps the rest of the message', async () => {
    const log = await loggedRefusal('?token=dev%3Acarol&room=lobby');
    expect(log).toContain('room');
    expect(log).toContain('lobby');
    expect(log).not.toMatch(/carol/);
  });
});
