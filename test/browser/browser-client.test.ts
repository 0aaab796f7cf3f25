import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { startChatServer, type ChatServer } from '../../src/demo/chat-server';
import { AGENT_EVENTS } from '../../src/protocol/envelope';
import { closeBrowser, launchBrowser } from '../support/browser';
import { useCleanup } from '../helpers';
import { TcpProxy } from './tcp-proxy';

// Issue 14: unified-ws/client where people run it — headless Chromium, the browser build loaded as
// ES modules straight from the package files `serve` serves (no bundler), against the real server.

const ROOT = join(__dirname, '..', '..');
const BUILD = join(ROOT, 'dist', 'browser', 'client', 'index.js');
const defer = useCleanup();
let browser: Browser;

/** What the page keeps of one client's events (plain data, read back by the test). */
interface Seen {
  event: string;
  code?: string | number;
  type?: string;
  seq?: number;
  epoch?: string;
  runId?: string;
  recovered?: boolean;
  willReconnect?: boolean;
  connectionId?: string;
  at: number;
}

/** The page's globals these tests use: the module and the clients they made. */
interface PageGlobals {
  uws: {
    UnifiedWsClient: new (options: unknown) => PageClient;
  };
  clients: Record<string, PageClient>;
  seen: Record<string, Seen[]>;
}

interface PageClient {
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): () => void;
  connect(): Promise<{ connectionId: string }>;
  request(type: string, payload?: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  close(): void;
}

async function startServer(port = 0): Promise<ChatServer> {
  const server = await startChatServer({ port, host: '127.0.0.1', register: false });
  defer(() => server.close());
  return server;
}

/**
 * Counts the WebSocket upgrade requests that reach the server, whatever becomes of them: each
 * arrives on a TCP connection of its own, whose first bytes are its request head. (Not with an
 * `upgrade` listener: a second one would make the manager leave paths not its own to it.)
 */
function countUpgrades(server: ChatServer): { count: number } {
  const counter = { count: 0 };
  server.http.on('connection', (socket) =>
    socket.once('data', (chunk: Buffer) => {
      if (
        /^GET [^\r\n]* HTTP\/1\.1\r\n[\s\S]*\r\nupgrade: *websocket\r\n/i.test(
          chunk.toString('latin1'),
        )
      )
        counter.count++;
    }),
  );
  return counter;
}

/**
 * A tab on the chat page of `server` (or at `url`, the same page through a proxy: the page may
 * connect only to its own origin), with the client module loaded as `window.uws`.
 */
async function openPage(
  server: ChatServer,
  url = server.pageUrl,
): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  defer(() => page.close());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${String(error)}`));
  page.on('console', (message) => {
    // A refused or black-holed socket is reported by Chromium itself on the console; that is
    // the browser, not the page.
    if (message.type() === 'error' && !/WebSocket connection to/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'networkidle0' });
  // A string, so that TypeScript does not turn the dynamic import into a require().
  await page.evaluate(
    `import('/unified-ws/client/index.js').then((m) => { window.uws = m; window.clients = {}; window.seen = {}; })`,
  );
  return { page, problems };
}

/** Makes a client in the page that records its events into `window.seen[name]`. */
async function makeClient(page: Page, name: string, options: Record<string, unknown>) {
  await page.evaluate(
    (name, options) => {
      const w = window as unknown as PageGlobals;
      const client = new w.uws.UnifiedWsClient(options);
      const seen: Seen[] = [];
      w.clients[name] = client;
      w.seen[name] = seen;
      const events = [
        'open',
        'close',
        'resumed',
        'connect_error',
        'reconnect_attempt',
        'reconnect_failed',
        'error',
        'gap',
      ];
      for (const event of events)
        client.on(event, (arg: unknown) => {
          const a = (arg ?? {}) as Record<string, unknown>;
          seen.push({
            event,
            at: performance.now(),
            ...(a.code === undefined ? {} : { code: a.code as string | number }),
            ...(typeof a.recovered === 'boolean' ? { recovered: a.recovered } : {}),
            ...(typeof a.willReconnect === 'boolean' ? { willReconnect: a.willReconnect } : {}),
            ...(typeof a.connectionId === 'string' ? { connectionId: a.connectionId } : {}),
            ...(typeof a.epoch === 'string' ? { epoch: a.epoch } : {}),
          });
        });
      client.on('envelope', (arg: unknown) => {
        const e = arg as { type: string; seq: number; epoch: string; runId?: string };
        seen.push({
          event: 'envelope',
          at: performance.now(),
          type: e.type,
          seq: e.seq,
          epoch: e.epoch,
          ...(e.runId === undefined ? {} : { runId: e.runId }),
        });
      });
    },
    name,
    options,
  );
  defer(() =>
    page.evaluate((name) => (window as unknown as PageGlobals).clients[name]?.close(), name),
  );
}

/** `connect()` in the page: the welcome, or the error's code, and how long it took. */
function connect(page: Page, name: string) {
  return page.evaluate(async (name) => {
    const started = performance.now();
    try {
      const welcome = await (window as unknown as PageGlobals).clients[name]!.connect();
      return {
        ok: true as const,
        connectionId: welcome.connectionId,
        ms: performance.now() - started,
      };
    } catch (error) {
      const e = error as { code?: string; name?: string };
      return { ok: false as const, code: e.code, name: e.name, ms: performance.now() - started };
    }
  }, name);
}

function seen(page: Page, name: string): Promise<Seen[]> {
  return page.evaluate((name) => (window as unknown as PageGlobals).seen[name] ?? [], name);
}

/** Polls the page until `predicate` holds for the client's events. */
async function waitSeen(
  page: Page,
  name: string,
  predicate: (events: Seen[]) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<Seen[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await seen(page, name);
    if (predicate(events)) return events;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not seen within ${timeoutMs} ms; saw ${events.map((e) => `${e.event}${e.type ? `:${e.type}` : ''}${e.code ? `:${e.code}` : ''}`).join(' ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const envelopes = (events: Seen[]) => events.filter((e) => e.event === 'envelope');

/** Every envelope once: no epoch:seq twice. */
function expectNoDuplicates(events: Seen[]): void {
  const keys = envelopes(events).map((e) => `${e.epoch}:${e.seq}`);
  expect(keys.length).toBeGreaterThan(0);
  expect(new Set(keys).size).toBe(keys.length);
}

/** The five agent events of one run, as the client delivered them. */
function runTypes(events: Seen[], runId: string): string[] {
  return envelopes(events)
    .filter((e) => e.runId === runId)
    .map((e) => e.type as string);
}

/** The order a run's events must come in, agent_thinking repeated. */
function expectFiveEvents(types: string[]): void {
  expect(types[0]).toBe('agent_started');
  expect(types.at(-1)).toBe('agent_completed');
  expect(new Set(types)).toEqual(new Set(AGENT_EVENTS));
  expect(types.indexOf('tool_executing')).toBeLessThan(types.indexOf('tool_completed'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Chromium on a busy 2-core machine: room for the page loads, never for a hang (each wait inside
// has its own bound).
jest.setTimeout(60_000);

beforeAll(async () => {
  if (!existsSync(BUILD))
    throw new Error(`${BUILD} is missing: run "npm run build" (npm test does it first)`);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await closeBrowser(browser);
});

describe('the chat page of serve, in Chromium', () => {
  it('runs on the ES modules of the package, no bundler, and shows the five events of a run', async () => {
    const server = await startServer();
    const page = await browser.newPage();
    defer(() => page.close());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    const scripts: HTTPResponse[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response);
    });
    await page.goto(server.pageUrl, { waitUntil: 'networkidle0' });

    // Every module the page loaded is a file of the package, served as JavaScript.
    const paths = scripts.map((response) => new URL(response.url()).pathname);
    expect(paths).toContain('/chat.js');
    expect(paths).toContain('/unified-ws/client/index.js');
    expect(paths.filter((path) => path.startsWith('/unified-ws/')).length).toBeGreaterThan(3);
    for (const response of scripts) {
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^text\/javascript/);
      expect(new URL(response.url()).origin).toBe(new URL(server.pageUrl).origin);
    }

    await page.click('#connect');
    await page.waitForFunction(
      () => document.getElementById('state')?.dataset.state === 'connected',
    );
    expect(await page.$eval('#state-text', (el) => el.textContent)).toBe('connected as alice');
    await page.type('#message', 'what is (2 + 3) * 4?');
    await page.click('#send');
    await page.waitForSelector('.run[data-status="ok"]');
    const run = await page.$eval('.run', (card) => ({
      question: card.querySelector('.run-question')?.textContent,
      types: [...card.querySelectorAll('.event')].map((row) => (row as HTMLElement).dataset.type),
      seqs: [...card.querySelectorAll('.event')].map((row) => (row as HTMLElement).dataset.seq),
      answer: card.querySelector('.event[data-type="agent_completed"] .detail')?.textContent,
    }));
    expect(run.question).toBe('what is (2 + 3) * 4?');
    expectFiveEvents(run.types as string[]);
    expect(new Set(run.seqs).size).toBe(run.seqs.length);
    expect(run.answer).toBe('(2 + 3) * 4 = 20');
    expect(problems).toEqual([]);
  });

  it('shows frame text as text: markup in a payload never becomes HTML', async () => {
    const server = await startServer();
    const { page, problems } = await openPage(server);
    await page.click('#connect');
    await page.waitForFunction(
      () => document.getElementById('state')?.dataset.state === 'connected',
    );
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>1+1';
    await page.type('#message', hostile);
    await page.click('#send');
    await page.waitForSelector('.run[data-status]:not([data-status="running"])');
    // A run of another kind, straight from the server: an application event with markup in it.
    await server.manager
      .forUser('alice')
      .send('notice', { text: '<b onmouseover=alert(1)>hi</b>' });
    await page.waitForFunction(() =>
      document.getElementById('activity')?.textContent?.includes('notice'),
    );
    expect(await page.$eval('.run-question', (el) => el.textContent)).toBe(hostile);
    expect(await page.$$('#runs img, #runs script, #activity b')).toHaveLength(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});

describe('unified-ws/client in Chromium', () => {
  it('a bad token: connect() rejects within 2 s with UWS_ERR_CLIENT_UNAUTHORIZED, and never retries', async () => {
    const server = await startServer();
    const upgrades = countUpgrades(server);
    const { page } = await openPage(server);
    await makeClient(page, 'bad', { url: server.wsUrl, token: 'expired-or-forged' });
    const result = await connect(page, 'bad');
    expect(result).toMatchObject({ ok: false, code: 'UWS_ERR_CLIENT_UNAUTHORIZED' });
    expect(result.ms).toBeLessThan(2000);
    // Long enough for several reconnects at the default backoff (250 ms, doubling).
    await sleep(1500);
    expect(upgrades.count).toBe(1);
    expect(server.manager.stats().refused.unauthorized).toBe(1);
    const events = await seen(page, 'bad');
    expect(events.filter((e) => e.event === 'reconnect_attempt')).toEqual([]);
    expect(events.find((e) => e.event === 'connect_error')).toMatchObject({
      code: 'UWS_ERR_CLIENT_UNAUTHORIZED',
    });
  });

  it('a wrong path: connect() rejects within 2 s with UWS_ERR_CLIENT_NOT_FOUND, and never retries', async () => {
    const server = await startServer();
    const upgrades = countUpgrades(server);
    const { page } = await openPage(server);
    await makeClient(page, 'lost', {
      url: server.wsUrl.replace(/\/ws$/, '/socket'),
      token: 'dev:alice',
    });
    const result = await connect(page, 'lost');
    expect(result).toMatchObject({ ok: false, code: 'UWS_ERR_CLIENT_NOT_FOUND' });
    expect(result.ms).toBeLessThan(2000);
    await sleep(1500);
    expect(upgrades.count).toBe(1);
    expect(server.manager.stats().refused.notFound).toBe(1);
  });

  it('connect() twice opens one socket, and nothing is delivered after close()', async () => {
    const server = await startServer();
    const upgrades = countUpgrades(server);
    const { page } = await openPage(server);
    await makeClient(page, 'twice', { url: server.wsUrl, token: 'dev:carol' });
    const [first, second] = await page.evaluate(async () => {
      const client = (window as unknown as PageGlobals).clients.twice!;
      const results = await Promise.all([client.connect(), client.connect()]);
      return results.map((welcome) => welcome.connectionId);
    });
    expect(second).toBe(first);
    // And once open, a third call does not open another either.
    expect(await connect(page, 'twice')).toMatchObject({ ok: true, connectionId: first });
    expect(upgrades.count).toBe(1);
    expect(server.manager.connectionCount('carol')).toBe(1);

    await server.manager.forUser('carol').send('notice', { n: 1 });
    await waitSeen(page, 'twice', (events) => envelopes(events).length === 1, 'the first notice');
    await page.evaluate(() => (window as unknown as PageGlobals).clients.twice!.close());
    const deadline = Date.now() + 3000;
    while (server.manager.connectionCount('carol') > 0 && Date.now() < deadline) await sleep(20);
    expect(server.manager.connectionCount('carol')).toBe(0);
    await server.manager.forUser('carol').send('notice', { n: 2 });
    await sleep(500);
    const events = await seen(page, 'twice');
    expect(envelopes(events)).toHaveLength(1);
    expect(upgrades.count).toBe(1);
  });

  it('a black-holed connection: the heartbeat notices, request() times out, and it reconnects and resumes when traffic flows again', async () => {
    const server = await startServer();
    const proxy = await TcpProxy.start(server.manager.address().port);
    defer(() => proxy.close());
    const { page } = await openPage(server, `http://127.0.0.1:${proxy.port}/`);
    await makeClient(page, 'hole', {
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      token: 'dev:dora',
      heartbeat: { intervalMs: 600, timeoutMs: 600 },
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    expect(await connect(page, 'hole')).toMatchObject({ ok: true });
    await page.evaluate(() =>
      (window as unknown as PageGlobals).clients.hole!.request('user_message', { text: '1 + 1' }),
    );
    const before = envelopes(await seen(page, 'hole')).length;
    expect(before).toBeGreaterThanOrEqual(5);

    proxy.blackhole();
    const blackholedAt = Date.now();
    const timedOut = await page.evaluate(async () => {
      const client = (window as unknown as PageGlobals).clients.hole!;
      try {
        await client.request('user_message', { text: '2 + 2' }, { timeoutMs: 300 });
        return 'answered';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    });
    expect(timedOut).toBe('UWS_ERR_CLIENT_REQUEST_TIMEOUT');
    await page.waitForFunction(() => !(window as unknown as PageGlobals).clients.hole!.connected, {
      timeout: 5000,
    });
    // Within a heartbeat interval and timeout (and scheduling slack), not TCP's minutes.
    expect(Date.now() - blackholedAt).toBeLessThan(4000);

    // Published while the client is cut off: held by the server for its stream.
    for (let n = 1; n <= 3; n++) await server.manager.forUser('dora').send('notice', { n });
    proxy.restore();
    const events = await waitSeen(
      page,
      'hole',
      (events) =>
        events.some((e) => e.event === 'resumed') &&
        envelopes(events).filter((e) => e.type === 'notice').length >= 3,
      'a resume that brings the three notices',
    );
    expect(events.filter((e) => e.event === 'open').length).toBeGreaterThanOrEqual(2);
    expect(events.find((e) => e.event === 'resumed')).toMatchObject({ recovered: true });
    expect(
      await page.evaluate(() => (window as unknown as PageGlobals).clients.hole!.connected),
    ).toBe(true);
    expect(server.manager.connectionCount('dora')).toBe(1);

    // A clean run afterwards, every envelope once.
    await page.evaluate(() =>
      (window as unknown as PageGlobals).clients.hole!.request('user_message', { text: '3 * 3' }),
    );
    const after = await seen(page, 'hole');
    const lastRun = envelopes(after).at(-1)?.runId as string;
    expectFiveEvents(runTypes(after, lastRun));
    expectNoDuplicates(after);
  });

  it('a server restart: the resume says recovered: false, and the next run is clean', async () => {
    const first = await startServer();
    const port = first.manager.address().port;
    const { page } = await openPage(first);
    await makeClient(page, 'restart', {
      url: first.wsUrl,
      token: 'dev:erin',
      reconnect: { initialDelayMs: 100, maxDelayMs: 300 },
    });
    expect(await connect(page, 'restart')).toMatchObject({ ok: true });
    await page.evaluate(() =>
      (window as unknown as PageGlobals).clients.restart!.request('user_message', {
        text: '6 * 7',
      }),
    );
    await first.close();
    await waitSeen(
      page,
      'restart',
      (events) => events.some((e) => e.event === 'close'),
      'the 1001',
    );
    const second = await startServer(port);
    const events = await waitSeen(
      page,
      'restart',
      (events) => events.some((e) => e.event === 'resumed'),
      'the resume on the new server',
    );
    const resumed = events.find((e) => e.event === 'resumed');
    expect(resumed).toMatchObject({ recovered: false });
    expect(events.find((e) => e.event === 'close')).toMatchObject({
      code: 1001,
      willReconnect: true,
    });

    await page.evaluate(() =>
      (window as unknown as PageGlobals).clients.restart!.request('user_message', {
        text: '(1 + 2) * 3',
      }),
    );
    const after = await seen(page, 'restart');
    const runs = [...new Set(envelopes(after).map((e) => e.runId))];
    expect(runs).toHaveLength(2);
    for (const runId of runs) expectFiveEvents(runTypes(after, runId as string));
    // The new server's stream is a new epoch: the second run is all in it.
    expect(
      new Set(
        envelopes(after)
          .filter((e) => e.runId === runs[1])
          .map((e) => e.epoch),
      ),
    ).toEqual(new Set([resumed?.epoch]));
    expectNoDuplicates(after);
    expect(second.manager.connectionCount('erin')).toBe(1);
  });
});
