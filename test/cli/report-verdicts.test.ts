import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObservationLine, TelemetryLine } from '../../src/deprecation/jsonl-sink';
import type { ReportModel } from '../../src/telemetry/model';
import { runCli, tempProject, useCleanup } from '../helpers';

// `report` on generated telemetry: 90 days of 3 hosts, a process a day on each, every process
// writing its observation line — the evidence "safe to remove" needs — and the verdicts that
// evidence gives, with --repo, hostile strings and every kind of bad line.

const DAY = 86_400_000;
const HOSTS = ['web-1', 'web-2', 'web-3'];
const iso = (ms: number) => new Date(ms).toISOString();
const entryPoint = (code: string) => `unified-ws/${code}`;

function use(
  code: string,
  site: string,
  count: number,
  at: number,
  host: string,
  pid: number,
): TelemetryLine {
  return {
    code,
    entryPoint: entryPoint(code),
    site,
    count,
    firstSeen: iso(at - 3_600_000),
    lastSeen: iso(at),
    removeIn: '2.0.0',
    version: '0.1.0',
    pid,
    host,
  };
}

const observation = (from: number, to: number, host: string, pid: number): ObservationLine => ({
  kind: 'observation',
  from: iso(from),
  to: iso(to),
  version: '0.1.0',
  pid,
  host,
});

const jsonl = (lines: readonly unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

/** Characters that must never reach a terminal raw: C0 (but \n), DEL, C1, bidi controls. */
const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('unified-ws report: verdicts from generated telemetry', () => {
  const defer = useCleanup();

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-report-verdicts-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /**
   * 90 days × 3 hosts: UWS004 called every day on every host; UWS006 called until 30 days ago;
   * UWS005 and the rest never; UWS002 once in a line with a bad count. One file per host.
   */
  function ninetyDays(): string {
    const dir = tempDir();
    const now = Date.now();
    HOSTS.forEach((host, h) => {
      const lines: unknown[] = [];
      for (let d = 89; d >= 0; d--) {
        const start = now - (d + 1) * DAY + 60_000;
        const end = now - d * DAY - 60_000;
        const pid = 1000 * (h + 1) + d;
        lines.push(use('UWS004', `src/server.ts:${10 + h}:5`, 5 + h, end - 3_600_000, host, pid));
        if (d >= 30) lines.push(use('UWS006', 'src/agents.ts:3:1', 1, end - 7_200_000, host, pid));
        lines.push(observation(start, end, host, pid));
      }
      writeFileSync(join(dir, `${host}.jsonl`), jsonl(lines));
    });
    return dir;
  }

  async function json(argv: string[]): Promise<ReportModel> {
    const result = await runCli([...argv, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout) as ReportModel;
  }

  const byCode = (model: ReportModel) => Object.fromEntries(model.codes.map((c) => [c.code, c]));

  it('gives each verdict its reason over 90 days of 3 hosts, the summary first', async () => {
    const dir = ninetyDays();
    writeFileSync(
      join(dir, 'torn.jsonl'),
      jsonl([{ ...use('UWS002', 'src/x.ts:1:1', 1, Date.now(), 'web-1', 1), count: -1 }]),
    );
    const model = await json(['report', dir]);
    const codes = byCode(model);
    expect(codes.UWS004).toMatchObject({
      verdict: 'in-use',
      reason: 'in use',
      calls: 90 * (5 + 6 + 7),
      sites: 3,
      hosts: 3,
    });
    expect(Object.keys(codes.UWS004?.days ?? {})).toHaveLength(90);
    expect(codes.UWS006).toMatchObject({
      verdict: 'quiet',
      reason: expect.stringMatching(/^quiet since \d{4}-\d\d-\d\d$/),
    });
    expect(codes.UWS001).toMatchObject({ calls: 0, verdict: 'safe-to-remove' });
    // A line naming UWS002 was skipped: a use that could not be counted is no evidence of absence.
    expect(codes.UWS002).toMatchObject({
      verdict: 'not-enough-data',
      reason: 'not enough data (unreadable telemetry names it: 1 skipped line)',
      skippedLines: 1,
    });
    expect(model.summary).toEqual({
      total: 20,
      'in-use': 1,
      quiet: 1,
      'safe-to-remove': 17,
      'still-imported': 0,
      'not-enough-data': 1,
    });
    expect(model.window).toMatchObject({ hosts: HOSTS, processes: 270 });
    expect(Date.parse(model.window.to as string) - Date.parse(model.window.from as string)).toBe(
      90 * DAY - 120_000,
    );
    expect([model.lines, model.skipped]).toEqual([90 * 3 * 2 + 60 * 3, { 'bad count': 1 }]);

    const text = await runCli(['report', dir]);
    expect(text.code).toBe(0);
    const [summary, window, lines] = text.stdout.split('\n');
    expect(summary).toBe('17 of 20 shims removable · 1 in use · 1 quiet · 1 need more data');
    expect(window).toMatch(
      /^observed \S+Z → \S+Z \(89\.8 days of the 89\.9-day window observed\) on 3 hosts \(web-1, web-2, web-3\), 270 processes$/,
    );
    expect(lines).toBe('720 telemetry lines, 1 line skipped: 1 bad count');
    expect(text.stdout).toMatch(/UWS001\s+0\s+0\s+—\s+safe to remove\n/);
    expect(text.stdout).toMatch(/UWS006\s+180\s+1\s+\S+\s+quiet since \d{4}-\d\d-\d\d\n/);
  });

  it('calls a code never seen in 15 s of telemetry "not enough data", whatever --min-days asks', async () => {
    const dir = tempDir();
    const now = Date.now();
    writeFileSync(
      join(dir, 'app.jsonl'),
      jsonl([
        { ...use('UWS004', 'src/a.ts:1:1', 3, now - 1000, 'web-1', 7), firstSeen: iso(now - 2000) },
        observation(now - 15_000, now, 'web-1', 7),
      ]),
    );
    const model = await json(['report', dir]);
    expect(byCode(model).UWS001).toMatchObject({
      verdict: 'not-enough-data',
      reason: 'not enough data (observed 15 s of 7 days)',
    });
    expect(model.summary).toMatchObject({ 'not-enough-data': 19, 'safe-to-remove': 0 });
    const text = await runCli(['report', dir]);
    expect(text.stdout.split('\n')[0]).toBe(
      '0 of 20 shims removable · 1 in use · 19 need more data',
    );
    expect(text.stdout).toMatch(
      /UWS001\s+0\s+0\s+—\s+not enough data \(observed 15 s of 7 days\)\n/,
    );
    // --min-days 0 takes any observation as enough.
    expect(byCode(await json(['report', dir, '--min-days', '0'])).UWS001?.verdict).toBe(
      'safe-to-remove',
    );
    const hours = await json(['report', dir, '--min-days', '1']);
    expect(byCode(hours).UWS002?.reason).toBe('not enough data (observed 15 s of 1 day)');
  });

  it('with --repo, a code no process called but a file still imports — types, mocks, re-exports — is "still imported"', async () => {
    const dir = ninetyDays();
    const repo = tempProject(defer, {
      'package.json': '{"name":"app","version":"1.0.0"}',
      // Type-only imports leave no telemetry: the user's case, UWS005.
      'src/types.ts':
        "import type { WebSocketManagerProtocol } from 'unified-ws/websocket-core/protocols';\nexport type P = WebSocketManagerProtocol;\n",
      'src/more-types.ts':
        "import type { LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';\nexport type A = LegacyWebSocketManagerAdapter;\n",
      'test/router.test.ts':
        "jest.mock('unified-ws/websocket-core/handlers');\ntest('x', () => undefined);\n",
      'src/barrel.ts': "export * from 'unified-ws/agents/tool-dispatcher';\n",
      'src/lazy.ts':
        "export type D = import('unified-ws/agents/unified-tool-dispatcher').UnifiedToolDispatcher;\n",
      'src/server.ts':
        "import { WebSocketManager } from 'unified-ws';\nexport { WebSocketManager };\n",
    });
    const model = await json(['report', dir, '--repo', repo]);
    const codes = byCode(model);
    expect(codes.UWS005).toMatchObject({
      verdict: 'still-imported',
      reason: 'still imported by 2 files',
      importers: [`${repo}:src/more-types.ts:1`, `${repo}:src/types.ts:1`].sort(),
    });
    for (const [code, file, line] of [
      ['UWS014', 'test/router.test.ts', 1],
      ['UWS017', 'src/barrel.ts', 1],
      ['UWS018', 'src/lazy.ts', 1],
    ] as const)
      expect(codes[code]).toMatchObject({
        verdict: 'still-imported',
        reason: 'still imported by 1 file',
        importers: [`${repo}:${file}:${line}`],
      });
    expect(codes.UWS001?.verdict).toBe('safe-to-remove');
    expect(codes.UWS004?.verdict).toBe('in-use'); // called: in use, whatever imports it
    expect(model.options.repositories).toEqual([repo]);
    expect(model.summary['still-imported']).toBe(4);

    const text = await runCli(['report', dir, '--repo', repo]);
    expect(text.stdout.split('\n')[0]).toBe(
      '14 of 20 shims removable · 1 in use · 1 quiet · 4 still imported',
    );
    expect(text.stdout).toContain(`imports searched in ${repo} (`);
    expect(text.stdout).toMatch(
      /UWS005\s+0\s+0\s+—\s+still imported by 2 files\n\s+\S+types\.ts:1\n/,
    );
  });

  it('takes no file that does not parse as proof of absence', async () => {
    const dir = ninetyDays();
    const repo = tempProject(defer, {
      'src/broken.ts': "import { x } from 'unified-ws/websocket-core/protocols'\nconst = ;\n",
    });
    const model = await json(['report', dir, '--repo', repo]);
    expect(model.unparsed).toEqual([expect.stringMatching(/:src\/broken\.ts:\d+$/)]);
    expect(model.summary['safe-to-remove']).toBe(0);
    expect(byCode(model).UWS001).toMatchObject({
      verdict: 'still-imported',
      reason: 'maybe still imported: 1 file naming legacy modules does not parse',
    });
  });

  it('skips and counts every kind of bad line by reason, and lists codes the manifest does not know', async () => {
    const dir = tempDir();
    const now = Date.now();
    const good = use('UWS004', 'src/a.ts:1:1', 1, now - 60_000, 'web-1', 1);
    const bad: [string, unknown][] = [
      ['not JSON', '{torn'],
      ['not an object', [1, 2]],
      ['not an object', '"a string"'],
      ['unknown kind', { kind: 'heartbeat', at: iso(now) }],
      ['bad code', { ...good, code: 'uws004' }],
      ['bad code', { ...good, code: 42 }],
      ['bad code', { ...good, code: `UWS${'0'.repeat(100)}1` }],
      ['bad count', { ...good, count: -1 }],
      ['bad count', { ...good, count: 1.5 }],
      ['bad count', { ...good, count: '3' }],
      ['bad count', { ...good, count: 2 ** 53 }],
      ['bad timestamp', { ...good, lastSeen: '(<img src=x onerror=alert(1)>) 2026-11-20' }],
      ['bad timestamp', { ...good, firstSeen: '2026-02-30T00:00:00.000Z' }],
      ['bad timestamp', { ...good, lastSeen: '2026-01-01T10:00:00+01:00' }],
      ['bad timestamp', { ...good, firstSeen: '1970-01-01T00:00:00.000Z' }],
      ['bad timestamp', { ...good, lastSeen: Date.now() }],
      ['timestamp in the future', { ...good, lastSeen: iso(now + 30 * DAY) }],
      ['first seen after last seen', { ...good, firstSeen: iso(now), lastSeen: iso(now - DAY) }],
      ['bad site', { ...good, site: 12 }],
      ['bad host', { ...good, host: null }],
      ['bad entry point', { ...good, entryPoint: ['x'] }],
      ['bad pid', { ...good, pid: -5 }],
      ['bad timestamp', { ...observation(now - DAY, now, 'web-1', 1), to: 'yesterday' }],
      ['observation ends before it starts', observation(now, now - DAY, 'web-1', 1)],
      ['bad pid', { ...observation(now - DAY, now, 'web-1', 1), pid: 'one' }],
      ['line too long', { ...good, site: 'x'.repeat(70 * 1024) }],
    ];
    const expected: Record<string, number> = {};
    for (const [reason] of bad) expected[reason] = (expected[reason] ?? 0) + 1;
    writeFileSync(
      join(dir, 'mixed.jsonl'),
      [
        JSON.stringify(good),
        ...bad.map(([, line]) => (typeof line === 'string' ? line : JSON.stringify(line))),
        JSON.stringify(use('ACME7', 'src/own.ts:2:2', 4, now - 1000, 'web-2', 2)),
        JSON.stringify(observation(now - 10 * DAY, now, 'web-1', 1)),
        '',
      ].join('\r\n'),
    );
    const model = await json(['report', dir]);
    expect(model.skipped).toEqual(expected);
    expect(model.lines).toBe(3);
    expect(model.unknown).toEqual([
      {
        code: 'ACME7',
        entryPoint: 'unified-ws/ACME7',
        calls: 4,
        lines: 1,
        lastSeen: expect.any(String),
        hosts: 1,
      },
    ]);
    const text = await runCli(['report', dir]);
    expect(text.stdout).toContain(
      `3 telemetry lines, ${bad.length} lines skipped: 6 bad timestamp, 4 bad count, 3 bad code, 2 bad pid, 2 not an object, 1 bad entry point,`,
    );
    expect(text.stdout).toContain(
      '1 code in the telemetry is not in the manifest: ACME7 (4 calls)',
    );
  });

  it('lets no control character, ANSI sequence or bidi override of the telemetry reach the terminal or the page raw', async () => {
    const dir = tempDir();
    const now = Date.now();
    const hostile = [
      use('UWS004', '\u001b[31msrc/evil.ts:1:1\u001b[0m', 9, now - 1000, 'web\u202e1-bew', 1),
      use(
        'UWS004',
        '<img src=x onerror=alert(1)>',
        2,
        now - 1000,
        '<img src=x onerror=alert(1)>',
        2,
      ),
      use(
        'UWS004',
        'src/\u009b31mc1.ts:1:1\u0007\u0000',
        1,
        now - 1000,
        'h\u001b]0;pwned\u0007',
        3,
      ),
      {
        ...use('UWS005', 'src/x.ts:1:1', 1, now, 'web-1', 4),
        lastSeen: '(<img src=x onerror=alert(1)>) 2026-11-20',
      },
      observation(now - 8 * DAY, now, '\u2066host\u2069\u001b[2J', 5),
    ];
    writeFileSync(join(dir, 'hostile.jsonl'), jsonl(hostile));
    const page = join(dir, 'report.html');
    const text = await runCli(['report', dir, '--html', page]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(RAW_CONTROL);
    expect(text.stdout).not.toContain('onerror=alert(1)>) 2026'); // the forged lastSeen is skipped
    expect(text.stdout).toContain('1 line skipped: 1 bad timestamp');
    expect(text.stdout).toMatch(/\ufffd\[31msrc\/evil\.ts:1:1\ufffd\[0m \(9\)/);
    expect(text.stdout).toContain('web\ufffd1-bew');

    const model = await json(['report', dir]);
    const strings = JSON.stringify(model);
    expect(strings).not.toMatch(/\\u001b|\\u0007|\\u0000/);
    expect(
      `${model.window.hosts.join('')}${model.codes.flatMap((c) => c.topSites.map((s) => s.site)).join('')}`,
    ).not.toMatch(RAW_CONTROL);
    expect(byCode(model).UWS005).toMatchObject({
      calls: 0,
      skippedLines: 1,
      verdict: 'not-enough-data',
    });

    const html = readFileSync(page, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(RAW_CONTROL);
  });

  it.each([
    [['report', '.', '--min-days', 'soon'], '--min-days must be a number of days'],
    [['report', '.', '--min-days=-1'], '--min-days must be a number of days'],
    [['report', '.', '--repo', '/no/such/repository'], 'is not a directory'],
  ])('refuses %j with exit 2', async (argv, message) => {
    const result = await runCli(argv);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
  });

  it('reads a directory whose processes used no legacy code: observation lines alone are telemetry', async () => {
    const dir = tempDir();
    const now = Date.now();
    writeFileSync(
      join(dir, 'quiet.jsonl'),
      jsonl(HOSTS.map((host, i) => observation(now - 30 * DAY, now - 1000, host, i + 1))),
    );
    const model = await json(['report', dir]);
    expect(model.summary).toMatchObject({ 'safe-to-remove': 20, total: 20 });
    expect(model.window).toMatchObject({ hosts: HOSTS, processes: 3 });
  });
});
