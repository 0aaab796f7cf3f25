import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { UnifiedWsClient } from '../../src/client/node';
import { refusedStatus, useCleanup } from '../helpers';

const BIN = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function cli(args: string[]): Run {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run "npm run build" (npm test does it first)`);
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('unified-ws CLI', () => {
  const defer = useCleanup();

  describe('serve', () => {
    it('serves the demo agent with --dev-auth, refuses other tokens, and stops cleanly on SIGTERM', async () => {
      const run = cli(['serve', '--port', '0', '--dev-auth']);
      defer(() => run.child.kill('SIGKILL'));
      await until(() => /listening on (ws:\/\/\S+)/.test(run.stdout()), 'the listening line');
      const url = /listening on (ws:\/\/\S+)/.exec(run.stdout())?.[1] as string;
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);

      expect(await refusedStatus(url, { headers: { Authorization: 'Bearer not-dev' } })).toBe(401);

      // The chat page and the browser build, on the same port.
      const page = /chat page: (http:\/\/\S+)/.exec(run.stdout())?.[1] as string;
      expect(page).toBe(url.replace(/^ws:/, 'http:').replace(/\/ws$/, '/'));
      const html = await fetch(page);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(html.headers.get('content-security-policy')).toContain("connect-src 'self'");
      const body = await html.text();
      expect(body).toContain('<meta name="unified-ws-path" content="/ws" />');
      expect(body).toContain('<script type="module" src="/chat.js"></script>');
      const chat = await fetch(new URL('/chat.js', page));
      expect(await chat.text()).toContain("from '/unified-ws/client/index.js'");
      const build = await fetch(new URL('/unified-ws/client/index.js', page));
      expect(build.status).toBe(200);
      expect(build.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await build.text()).toMatch(/^export .* from "\.\/unified-ws-client\.js";$/m);
      for (const [path, status] of [
        ['/unified-ws/../package.json', 404],
        ['/unified-ws/%2e%2e/package.json', 404],
        ['/unified-ws/client/index.ts', 404],
        ['/src/cli/serve.ts', 404],
        ['/ws', 426],
      ] as const)
        expect([path, (await fetch(new URL(path, page))).status]).toEqual([path, status]);
      expect((await fetch(page, { method: 'POST' })).status).toBe(405);
      const client = new UnifiedWsClient({ url, token: 'dev:alice', reconnect: false });
      defer(() => client.close());
      const types: string[] = [];
      client.on('envelope', (envelope) => types.push(envelope.type));
      await client.connect();
      const ack = await client.request('user_message', { text: 'what is 6 * 7' });
      expect(ack.payload).toMatchObject({ status: 'ok', result: { answer: '6 * 7 = 42' } });
      expect(new Set(types)).toEqual(
        new Set([
          'agent_started',
          'agent_thinking',
          'tool_executing',
          'tool_completed',
          'agent_completed',
        ]),
      );

      const closed = new Promise((resolve) => client.on('close', (event) => resolve(event.code)));
      run.child.kill('SIGTERM');
      expect(await closed).toBe(1001);
      expect(await run.exit).toBe(0);
      expect(run.stdout()).toContain('shutting down');
      expect(run.stdout() + run.stderr()).not.toContain('dev:alice');
    });

    it('refuses to start without an authentication mode (exit 2)', async () => {
      const run = cli(['serve', '--port', '0']);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toContain('--dev-auth');
    });

    it('exits 1 with a clear message when the port is taken', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      defer(() => new Promise((resolve) => blocker.close(resolve)));
      const port = (blocker.address() as { port: number }).port;
      const run = cli(['serve', '--port', String(port), '--dev-auth']);
      expect(await run.exit).toBe(1);
      expect(run.stderr()).toContain(`cannot start on 127.0.0.1:${port}`);
    });

    it.each([
      [['--port', 'abc'], '--port must be an integer from 0 to 65535'],
      [['--bogus'], 'unknown option --bogus: run "unified-ws serve --help" for its options'],
    ])('answers %j with exit 2 and says why', async (args, text) => {
      const run = cli(['serve', '--dev-auth', ...args]);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toContain(text);
    });
  });

  it('golden-path prints the five agent events of each user and exits 0', async () => {
    const run = cli(['golden-path']);
    expect(await run.exit).toBe(0);
    for (const type of [
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]) {
      expect(run.stdout()).toContain(type);
    }
    expect(run.stdout()).toContain(
      'alice: 6 events, all five agent events, in order, none from another user',
    );
    expect(run.stdout()).toContain('(2 + 3) * 4 = 20');
  });

  it('demo migrates the bundled legacy app in verified steps, checks, reports and reverts one; --keep keeps it, telemetry and all', async () => {
    const run = cli(['demo', '--keep']);
    const code = await run.exit;
    const out = run.stdout();
    const kept = /^kept in (\S+): /m.exec(out)?.[1];
    if (kept) defer(() => rmSync(kept, { recursive: true, force: true }));
    expect(code).toBe(0);
    expect(out).toContain('the app type-checks and its tests pass on the legacy surface');
    expect(out).toMatch(/UWS004: committed, 1 file changed/);
    // Call sites in the app's TypeScript (it is built with source maps), never its build output.
    expect(out).toMatch(/^ +src\/server\.ts:11:18 \(1\)$/m); // new WebSocketManagerAdapter()
    expect(out).not.toMatch(/build\/\S+\.js:\d+/);
    // The team's own duplicate: found by structure, drafted, shimmed, counted, moved, proven one.
    expect(out).toMatch(
      /ConnectionHub +src\/presence\/connection-hub\.ts:\d+ .*imported by 2 files/,
    );
    expect(out).toContain('"rewrite": "rename"');
    expect(out).toMatch(/shim:LEGACY001: committed, 1 file changed/);
    expect(out).toMatch(/LEGACY001\s+1\s+1\s+\S+\s+in use/);
    expect(out).toMatch(/LEGACY001: committed, 2 files changed/);
    expect(out).toContain('LEGACY001 identical: ConnectionHub');
    expect(out).toMatch(/LEGACY001\s+0\s+0\s+—\s+not enough data \(observed [\d.]+ s of 7 days\)/);
    expect(out).toContain('the migrated app type-checks and its tests pass');
    // Seconds of telemetry prove no absence: nothing is called safe to remove on them.
    expect(out).toMatch(/^0 of 20 shims removable · 2 in use · 18 need more data$/m);
    expect(out).toMatch(/UWS001\s+0\s+0\s+—\s+not enough data \(observed [\d.]+ s of 7 days\)/);
    expect(out).toMatch(/reverted step LEGACY001/);
    expect(out).toMatch(/done in \d+\.\d s/);

    // --keep: the repository, the manifest and the telemetry stay, and the report page is a
    // printed command away (npx from this checkout, where the test runs).
    expect(kept).toBeDefined();
    const dir = kept as string;
    for (const file of ['legacy-app/.git', 'unified-ws.manifest.json'])
      expect(existsSync(join(dir, file))).toBe(true);
    for (const name of ['before', 'shimmed', 'after'])
      expect(existsSync(join(dir, 'telemetry', `${name}.jsonl`))).toBe(true);
    const commands = [...out.matchAll(/^ {2}npx unified-ws (report .*)$/gm)].map((m) =>
      (m[1] as string).split(' '),
    );
    expect(commands).toEqual([
      ['report', join(dir, 'telemetry', 'before.jsonl'), '--html', join(dir, 'report.html')],
      [
        'report',
        join(dir, 'telemetry', 'shimmed.jsonl'),
        '--manifest',
        join(dir, 'unified-ws.manifest.json'),
        '--html',
        join(dir, 'report-team.html'),
      ],
    ]);
    for (const argv of commands) expect(await cli(argv).exit).toBe(0);
    // The page may break paths for wrapping (<wbr>): the site, read as text.
    const page = readFileSync(join(dir, 'report.html'), 'utf8').replace(/<wbr>/g, '');
    expect(page).toContain('src/server.ts:11:18');
    expect(page).not.toContain('build/server.js');
    expect(readFileSync(join(dir, 'report-team.html'), 'utf8')).toContain('LEGACY001');
  }, 120_000);

  it.each([
    [['nope'], 2, 'unknown command'],
    [[], 2, 'Usage: unified-ws <command>'],
    [['--help'], 0, 'Commands:'],
    [['serve', '--help'], 0, '--dev-auth'],
  ])('%j exits %i', async (args, code, text) => {
    const run = cli(args);
    expect(await run.exit).toBe(code);
    expect(run.stdout() + run.stderr()).toContain(text);
  });
});
