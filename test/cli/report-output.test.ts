import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportModel } from '../../src/telemetry/model';
import { runCli, useCleanup } from '../helpers';
import { DAY, jsonl, observation, use } from '../support/telemetry-lines';

// `report`'s numbers and strings: the time observed without its gaps, counts that cannot
// overflow, strings and host lists of bounded size, call sites in a stable order.

describe('unified-ws report: numbers and strings', () => {
  const defer = useCleanup();
  function write(lines: readonly unknown[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-report-output-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 't.jsonl'), jsonl(lines));
    return dir;
  }
  async function json(argv: string[]): Promise<ReportModel> {
    const result = await runCli([...argv, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout) as ReportModel;
  }
  const byCode = (model: ReportModel) => Object.fromEntries(model.codes.map((c) => [c.code, c]));
  const now = Date.now();

  it('counts only the time observed: two 1 s observations 90 days apart are 2 s, not 90 days', async () => {
    const dir = write([
      observation(now - 90 * DAY - 1000, now - 90 * DAY, 'web-1', 1),
      observation(now - 2000, now - 1000, 'web-1', 2),
    ]);
    const model = await json(['report', dir]);
    expect(model.window.observedMs).toBe(2000);
    expect(byCode(model).UWS001).toMatchObject({
      verdict: 'not-enough-data',
      reason: 'not enough data (observed 2 s of 7 days)',
    });
    const text = await runCli(['report', dir]);
    expect(text.stdout).toMatch(/\(2 s of the 90-day window observed\) on 1 host/);
    expect((await json(['report', dir, '--min-days', '0'])).summary['safe-to-remove']).toBe(20);
  });

  it('merges overlapping intervals of many processes and uses', async () => {
    const dir = write([
      observation(now - 10 * DAY, now - 5 * DAY, 'web-1', 1),
      observation(now - 8 * DAY, now - 2 * DAY, 'web-2', 1),
      use('UWS004', 1, now - 1 * DAY, { host: 'web-3', pid: 7 }), // 1 s
    ]);
    const model = await json(['report', dir]);
    expect(model.window.observedMs).toBe(8 * DAY + 1000);
  });

  it('refuses a per-line count above 10^12 and never sums past 2^53 − 1', async () => {
    const lines = [use('UWS004', 1e12 + 1, now - 5000)];
    for (let i = 0; i < 9008; i++)
      lines.push(use('UWS006', 1e12, now - 5000, { site: `src/b.ts:${i}:1` }));
    const dir = write(lines);
    const model = await json(['report', dir]);
    expect(model.skipped).toEqual({ 'bad count': 1 });
    expect(byCode(model).UWS004?.verdict).toBe('not-enough-data');
    expect(byCode(model).UWS006).toMatchObject({
      calls: Number.MAX_SAFE_INTEGER,
      callsOverflow: true,
    });
    const text = await runCli(['report', dir]);
    expect(text.stdout).toMatch(/UWS006\s+over 9e15\s+9008/);
    expect(text.stdout).not.toMatch(/e\+1\d|9007199254740991/);
  });

  it('cuts long strings to 80 characters on the terminal, keeps them whole in --json', async () => {
    const site = `src/${'long/'.repeat(40)}file.ts:1:1`;
    const host = `host-${'h'.repeat(200)}`;
    const dir = write([use('UWS004', 1, now - 5000, { site, host })]);
    const model = await json(['report', dir]);
    expect(byCode(model).UWS004?.topSites[0]?.site).toBe(site);
    expect(model.window.hosts).toEqual([host]);
    const text = (await runCli(['report', dir])).stdout;
    expect(text).toContain(`${site.slice(0, 79)}… (1)`);
    expect(text).not.toContain(site);
    expect(text).toContain(`(${host.slice(0, 79)}…)`);
  });

  it('sorts hosts naturally and lists the first 100 in --json, with the count of all', async () => {
    const lines = [];
    for (let i = 250; i >= 1; i--) lines.push(observation(now - 2000, now - 1000, `host-${i}`, i));
    const model = await json(['report', write(lines)]);
    expect(model.window.hosts).toHaveLength(100);
    expect(model.window.hosts.slice(0, 3)).toEqual(['host-1', 'host-2', 'host-3']);
    expect(model.window.hosts[9]).toBe('host-10');
    expect(model.window.hostCount).toBe(250);
    const text = (await runCli(['report', write(lines)])).stdout;
    expect(text).toContain('on 250 hosts (host-1, host-2, host-3, host-4, host-5, …)');
  });

  it('shows "+N more" after the top call sites, equal counts by file, line and column', async () => {
    const sites = [
      'src/server.ts:36:27',
      'src/server.ts:5:1',
      'src/server.ts:5:10',
      'src/a10.ts:1:1',
      'src/a2.ts:1:1',
    ];
    const dir = write(sites.map((site) => use('UWS004', 2, now - 5000, { site })));
    const model = await json(['report', dir]);
    expect(byCode(model).UWS004?.topSites.map((s) => s.site)).toEqual([
      'src/a2.ts:1:1',
      'src/a10.ts:1:1',
      'src/server.ts:5:1',
      'src/server.ts:5:10',
      'src/server.ts:36:27',
    ]);
    const text = (await runCli(['report', dir])).stdout;
    expect(text).toMatch(
      /src\/a2\.ts:1:1 \(2\)\n\s+src\/a10\.ts:1:1 \(2\)\n\s+src\/server\.ts:5:1 \(2\)\n\s+\+2 more\n/,
    );
  });

  it.each([
    [['--min-days', '-1'], '--min-days must be a number of days (0 or more), not "-1"'],
    [['--min-days=-1'], '--min-days must be a number of days (0 or more), not "-1"'],
    [['--quiet-days', '-1'], '--quiet-days must be a whole number of days (0 or more), not "-1"'],
    [['--quiet-days=-1'], '--quiet-days must be a whole number of days (0 or more), not "-1"'],
  ])('validates %j like any other value', async (flags, message) => {
    const dir = write([observation(now - 2000, now - 1000)]);
    const result = await runCli(['report', dir, ...flags]);
    expect([result.code, result.stderr.trim()]).toEqual([2, message]);
  });
});
