import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import WebSocket from 'ws';
import { UnifiedWsClient as BrowserClient } from '../../src/client/index';
import { UnifiedWsClient } from '../../src/client/node';
import { SUBPROTOCOL, encodeBearerProtocol } from '../../src/protocol/subprotocol';
import { startManager, useCleanup } from '../helpers';
import { scriptedServer, welcome } from './peers';

const SRC = join(__dirname, '..', '..', 'src');

/** Every module the browser entry loads, and every bare specifier they import. */
function importGraph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, kind, specifier] of text.matchAll(
      /^(import|export)(?!\s+type\b)[^'"]*?from\s+'([^']+)'/gm,
    )) {
      void kind;
      const target = specifier as string;
      if (target.startsWith('.')) visit(resolve(dirname(file), `${target}.ts`));
      else bare.add(target);
    }
  };
  visit(entry);
  return { files: [...files].map((file) => file.slice(SRC.length + 1)).sort(), bare: [...bare] };
}

describe('the browser entry', () => {
  const defer = useCleanup();
  const global = globalThis as { WebSocket?: unknown };
  const original = global.WebSocket;
  beforeEach(() => {
    global.WebSocket = WebSocket;
  });
  afterEach(() => {
    global.WebSocket = original;
  });

  it('loads no Node module and not ws', () => {
    const { files, bare } = importGraph(join(SRC, 'client', 'index.ts'));
    expect(bare).toEqual([]);
    expect(files).toContain('protocol/subprotocol.ts');
    expect(files).not.toContain('client/node.ts');
    // The walk does see bare imports: the Node entry's.
    expect(importGraph(join(SRC, 'client', 'node.ts')).bare).toEqual(['ws']);
  });

  it.each([
    ['a token in the bearer subprotocol (the default)', undefined],
    ['a token in the bearer subprotocol', 'protocol'],
    ['a token in the query (tokenTransport: query)', 'query'],
  ] as const)('is authenticated by the real manager with %s', async (_what, tokenTransport) => {
    const { manager, url } = await startManager(defer);
    const client = new BrowserClient({
      url,
      token: 'dev:carol',
      reconnect: false,
      ...(tokenTransport ? { tokenTransport } : {}),
    });
    defer(() => client.close());
    await expect(client.connect()).resolves.toMatchObject({ userId: 'carol' });
    expect(manager.isConnected('carol')).toBe(true);
  });

  it.each([
    ['protocol', 'jürgen ✓ token', [SUBPROTOCOL, encodeBearerProtocol('jürgen ✓ token')], '/ws'],
    [
      'query',
      'jürgen ✓ token',
      [SUBPROTOCOL],
      `/ws?token=${encodeURIComponent('jürgen ✓ token').replace(/%20/g, '+')}`,
    ],
    ['protocol', undefined, [SUBPROTOCOL], '/ws'],
  ] as const)(
    'tokenTransport %s with token %j offers %j at %s',
    async (tokenTransport, token, protocols, path) => {
      const server = await scriptedServer(defer, (socket) => socket.send(welcome(0)));
      const client = new BrowserClient({
        url: server.url,
        tokenTransport,
        reconnect: false,
        ...(token === undefined ? {} : { token }),
      });
      defer(() => client.close());
      await client.connect();
      expect(server.offered).toEqual([protocols]);
      expect(server.urls).toEqual([path]);
    },
  );

  it('the Node entry sends the Authorization header, offers unified-ws.v1, and keeps the URL clean', async () => {
    let authorization: string | undefined;
    const server = await scriptedServer(defer, (socket) => socket.send(welcome(0)));
    server.server.on('headers', (_headers, request) => {
      authorization = request.headers.authorization;
    });
    const client = new UnifiedWsClient({ url: server.url, token: 'dev:dave', reconnect: false });
    defer(() => client.close());
    await client.connect();
    expect(authorization).toBe('Bearer dev:dave');
    expect(server.offered).toEqual([[SUBPROTOCOL]]);
    expect(server.urls).toEqual(['/ws']);
  });

  it('refuses an unknown tokenTransport', () => {
    expect(() => new BrowserClient({ url: 'ws://x', tokenTransport: 'header' as 'query' })).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }),
    );
  });
});
