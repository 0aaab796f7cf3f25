import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryLine } from '../../src/deprecation/jsonl-sink';
import { runCli, useCleanup } from '../helpers';

const cli = runCli;

const day = 86_400_000;
const line = (
  code: string,
  site: string,
  count: number,
  daysAgo: number,
  host: string,
  pid = 1,
): TelemetryLine => ({
  code,
  entryPoint: `unified-ws/${code}`,
  site,
  count,
  firstSeen: new Date(Date.now() - (daysAgo + 1) * day).toISOString(),
  lastSeen: new Date(Date.now() - daysAgo * day).toISOString(),
  removeIn: '2.0.0',
  version: '0.1.0',
  pid,
  host,
});

describe('unified-ws report', () => {
  const defer = useCleanup();

  function telemetry(): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-report-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'hosts'));
    const a = [
      line('UWS004', 'src/a.ts:3:1', 10, 0, 'web-1'),
      line('UWS004', 'src/b.ts:9:2', 5, 1, 'web-1'),
      line('UWS005', 'src/c.ts:1:1', 2, 60, 'web-1'),
    ];
    const b = [line('UWS004', 'src/a.ts:3:1', 7, 0, 'web-2', 2)];
    writeFileSync(
      join(dir, 'hosts', 'web-1.jsonl'),
      `${a.map((l) => JSON.stringify(l)).join('\n')}\n{torn line\n"not an object"\n${JSON.stringify({ code: 'UWS004' })}\n`,
    );
    writeFileSync(
      join(dir, 'hosts', 'web-2.jsonl'),
      `${b.map((l) => JSON.stringify(l)).join('\n')}\n`,
    );
    return dir;
  }

  it('aggregates many hosts into calls, sites, first/last seen and a verdict per shim', async () => {
    const dir = telemetry();
    // The torn and non-object lines name no code: --ignore-unreadable judges without them. The
    // use lines observed 3 days (one day each) of the 61-day window: --min-days 3.
    const result = await cli([
      'report',
      join(dir, 'hosts'),
      '--ignore-unreadable',
      '--min-days',
      '3',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      lines: number;
      skipped: Record<string, number>;
      codes: {
        code: string;
        calls: number;
        sites: number;
        hosts: number;
        verdict: string;
        topSites: { site: string; calls: number }[];
      }[];
    };
    // {"code":"UWS004"} alone has a code, but no count: skipped as "bad count".
    expect([report.lines, report.skipped]).toEqual([
      4,
      { 'not JSON': 1, 'not an object': 1, 'bad count': 1 },
    ]);
    const byCode = Object.fromEntries(report.codes.map((c) => [c.code, c]));
    expect(byCode.UWS004).toMatchObject({
      calls: 22,
      sites: 2,
      hosts: 2,
      verdict: 'in-use',
      reason: 'in use',
      topSites: [
        { site: 'src/a.ts:3:1', calls: 17 },
        { site: 'src/b.ts:9:2', calls: 5 },
      ],
    });
    expect(byCode.UWS005).toMatchObject({ calls: 2, verdict: 'quiet' });
    // Never called while the telemetry observed 3 days.
    expect(byCode.UWS001).toMatchObject({
      calls: 0,
      verdict: 'safe-to-remove',
      reason: 'safe to remove',
    });
    expect(report.codes).toHaveLength(20);
  });

  it('prints a table with quiet dates, counts malformed lines, and writes a self-contained HTML page', async () => {
    const dir = telemetry();
    const page = join(dir, 'report.html');
    const result = await cli([
      'report',
      join(dir, 'hosts', 'web-1.jsonl'),
      join(dir, 'hosts', 'web-2.jsonl'),
      '--html',
      page,
      '--quiet-days',
      '30',
      '--ignore-unreadable',
      '--min-days',
      '3',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 lines skipped: 1 bad count, 1 not JSON, 1 not an object');
    expect(result.stdout).toMatch(/UWS005\s+2\s+1\s+\S+\s+quiet since \d{4}-\d\d-\d\d/);
    expect(result.stdout).toMatch(/UWS001\s+0\s+0\s+—\s+safe to remove/);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('UWS004');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it.each([
    [['report'], 'name telemetry files'],
    [['report', '/no/such/file.jsonl'], 'no such file or directory'],
    [['report', '--quiet-days', 'soon', '.'], '--quiet-days must be'],
  ])('refuses %j with exit 2', async (argv, text) => {
    const result = await cli(argv);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(text)]);
  });

  it('refuses a file with no telemetry line at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uws-report-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'empty.jsonl'), 'garbage\n');
    const result = await cli(['report', join(dir, 'empty.jsonl')]);
    expect([result.code, result.stderr]).toEqual([
      2,
      expect.stringMatching(/no telemetry lines in .*empty.jsonl \(1 line skipped: 1 not JSON\)/),
    ]);
  });
});
