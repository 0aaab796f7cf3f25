import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportModel } from '../../src/telemetry/model';
import { runCli, useCleanup } from '../helpers';
import { DAY, jsonl, observation, use } from '../support/telemetry-lines';

// `report`'s inputs and outputs: --html never over the telemetry it reads, a page that cannot be
// written is a usage error (not an internal one), and unreadable lines never leave a code "safe".

describe('unified-ws report: inputs and outputs', () => {
  const defer = useCleanup();
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-report-inputs-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  /** 30 days watched by one process, UWS004 called today. */
  function telemetry(dir: string, name = 'c.jsonl', extra = ''): string {
    const now = Date.now();
    const file = join(dir, name);
    writeFileSync(
      file,
      jsonl([observation(now - 30 * DAY, now - 1000), use('UWS004', 3, now - 2000)]) + extra,
    );
    return file;
  }

  describe('--html over the telemetry', () => {
    it.each([
      ['the same file', (file: string) => [file, '--html', file]],
      [
        'the same file by another path',
        (file: string) => [file, '--html', join(file, '..', '.', 'c.jsonl')],
      ],
      [
        'a .jsonl in a directory read',
        (file: string) => [join(file, '..'), '--html', join(file, '..', 'new.jsonl')],
      ],
      [
        'a .ndjson in a directory read',
        (file: string) => [join(file, '..'), '--html', join(file, '..', 'c.ndjson')],
      ],
    ])('refuses %s with exit 2 and leaves the telemetry alone', async (_, argv) => {
      const file = telemetry(tempDir());
      const before = readFileSync(file, 'utf8');
      const result = await runCli(['report', ...argv(file)]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringContaining('telemetry the report reads'),
      ]);
      expect(readFileSync(file, 'utf8')).toBe(before);
    });

    it('refuses a symlink to the telemetry', async () => {
      const dir = tempDir();
      const file = telemetry(dir);
      const other = tempDir();
      symlinkSync(file, join(other, 'page.html'));
      const result = await runCli(['report', file, '--html', join(other, 'page.html')]);
      expect(result.code).toBe(2);
      expect(readFileSync(file, 'utf8')).toContain('UWS004');
    });

    it('writes a page next to the telemetry when it is not telemetry', async () => {
      const dir = tempDir();
      telemetry(dir);
      const result = await runCli(['report', dir, '--html', join(dir, 'report.html')]);
      expect(result.code).toBe(0);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
    });
  });

  describe('--html where no page can be written', () => {
    it('says there is no such directory, exit 2', async () => {
      const file = telemetry(tempDir());
      const result = await runCli(['report', file, '--html', '/nonexistdir/x.html']);
      expect([result.code, result.stderr.trim().split('\n')]).toEqual([
        2,
        [expect.stringContaining('no such directory')],
      ]);
    });

    // (A directory without write permission cannot be tested here: CI runs as root, who may write.)
    it.each([
      [
        'a file where the directory should be',
        (dir: string) => join(telemetry(dir), 'x.html'),
        'no such directory',
      ],
      ['a directory where the page should be', (dir: string) => dir, 'is a directory'],
    ])('refuses %s, exit 2', async (_what, target, message) => {
      const dir = tempDir();
      const file = telemetry(dir);
      const result = await runCli(['report', file, '--html', target(dir)]);
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
    });
  });

  describe('lines that cannot be read', () => {
    async function json(argv: string[]): Promise<ReportModel> {
      const result = await runCli([...argv, '--json']);
      expect([result.code, result.stderr]).toEqual([0, '']);
      return JSON.parse(result.stdout) as ReportModel;
    }
    const byCode = (model: ReportModel) => Object.fromEntries(model.codes.map((c) => [c.code, c]));

    it('a torn last line that names a code keeps that code from "safe to remove"', async () => {
      const dir = tempDir();
      telemetry(
        dir,
        'c.jsonl',
        '{"code":"UWS019","entryPoint":"x","count":5,"firstSeen":"2026-01-01T00:00:00Z","last',
      );
      const model = await json(['report', dir]);
      expect(byCode(model).UWS019).toMatchObject({
        verdict: 'not-enough-data',
        reason: 'not enough data (unreadable telemetry names it: 1 skipped line)',
        skippedLines: 1,
      });
      expect(byCode(model).UWS001?.verdict).toBe('safe-to-remove');
      expect(model.unattributed).toBe(0);
    });

    it('an over-long line that names a code keeps it from "safe to remove"', async () => {
      const dir = tempDir();
      const long = JSON.stringify(
        use('UWS018', 5, Date.now() - 5000, { site: `src/${'x'.repeat(70_000)}.ts:1:1` }),
      );
      telemetry(dir, 'c.jsonl', `${long}\n`);
      const model = await json(['report', dir]);
      expect(model.skipped).toEqual({ 'line too long': 1 });
      expect(byCode(model).UWS018).toMatchObject({ verdict: 'not-enough-data', skippedLines: 1 });
      expect(byCode(model).UWS001?.verdict).toBe('safe-to-remove');
    });

    it('a skipped line that names no code keeps every code from "safe to remove" unless --ignore-unreadable', async () => {
      const dir = tempDir();
      telemetry(dir, 'c.jsonl', '{"cod\n');
      const model = await json(['report', dir]);
      expect(model.unattributed).toBe(1);
      expect(model.summary['safe-to-remove']).toBe(0);
      expect(byCode(model).UWS001).toMatchObject({
        verdict: 'not-enough-data',
        reason: expect.stringContaining('1 unreadable line names no code'),
      });
      const text = await runCli(['report', dir]);
      expect(text.stdout).toContain('1 skipped line names no code');
      const ignored = await json(['report', dir, '--ignore-unreadable']);
      expect(byCode(ignored).UWS001?.verdict).toBe('safe-to-remove');
      expect(ignored.options.ignoreUnreadable).toBe(true);
    });

    it('a bad observation line is no use of any code', async () => {
      const dir = tempDir();
      telemetry(
        dir,
        'c.jsonl',
        `${JSON.stringify({ kind: 'observation', from: 'x', to: 'y', pid: 1, host: 'h' })}\n`,
      );
      const model = await json(['report', dir]);
      expect([model.unattributed, model.skipped]).toEqual([0, { 'bad timestamp': 1 }]);
      expect(byCode(model).UWS001?.verdict).toBe('safe-to-remove');
    });
  });
});
