import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanString, eachLine, MAX_LINE, parseLine } from '../../src/telemetry/read';
import { forTerminal } from '../../src/telemetry/terminal';
import { duration, summaryLine } from '../../src/telemetry/verdicts';
import type { ReportModel } from '../../src/telemetry/model';
import { useCleanup } from '../helpers';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');

const line = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    code: 'UWS004',
    entryPoint: 'unified-ws/websocket-core/websocket-manager-factory',
    site: 'src/a.ts:1:1',
    count: 3,
    firstSeen: '2026-11-20T10:00:00.000Z',
    lastSeen: '2026-11-20T11:00:00Z',
    removeIn: '2.0.0',
    version: '0.1.0',
    pid: 12,
    host: 'web-1',
    ...fields,
  });

describe('reading telemetry', () => {
  const defer = useCleanup();

  it('keeps a valid use line, timestamps normalised, unused fields not read', () => {
    expect(parseLine(line({ version: 42, removeIn: null }), NOW)).toEqual({
      kind: 'use',
      code: 'UWS004',
      entryPoint: 'unified-ws/websocket-core/websocket-manager-factory',
      site: 'src/a.ts:1:1',
      count: 3,
      firstSeen: '2026-11-20T10:00:00.000Z',
      lastSeen: '2026-11-20T11:00:00.000Z',
      host: 'web-1',
      pid: 12,
    });
  });

  it.each([
    ['2026-11-20', 'bad timestamp'],
    ['2026-11-20T11:00:00', 'bad timestamp'], // no zone: local time, whose?
    ['2026-11-20T11:00:00.000+00:00', 'bad timestamp'],
    ['2026-11-20T24:00:00Z', 'bad timestamp'],
    ['2026-02-29T11:00:00Z', 'bad timestamp'], // not a leap year
    ['(<img src=x onerror=alert(1)>) 2026-11-20', 'bad timestamp'],
    [' 2026-11-20T11:00:00Z', 'bad timestamp'],
    ['2026-11-22T11:00:00Z', 'timestamp in the future'],
  ])('refuses lastSeen %j: %s', (lastSeen, reason) => {
    expect(parseLine(line({ lastSeen }), NOW)).toEqual({ reason, code: 'UWS004' });
  });

  it('accepts a clock a few hours ahead, and a leap day', () => {
    expect(parseLine(line({ lastSeen: '2026-11-20T18:00:00Z' }), NOW)).toMatchObject({
      kind: 'use',
    });
    expect(
      parseLine(line({ firstSeen: '2024-02-29T00:00:00Z', lastSeen: '2024-02-29T00:00:01Z' }), NOW),
    ).toMatchObject({ kind: 'use' });
  });

  it('replaces control, bidi and invisible characters by U+FFFD and bounds the strings', () => {
    const record = parseLine(
      line({ site: `a\u001b[31mb\u202ec\u0000d\u200b${'x'.repeat(1000)}`, host: 'h\u0085' }),
      NOW,
    );
    expect(record).toMatchObject({ host: 'h\ufffd' });
    const site = (record as { site: string }).site;
    expect(site.startsWith('a\ufffd[31mb\ufffdc\ufffdd\ufffdxxx')).toBe(true);
    expect(Array.from(site)).toHaveLength(512);
    expect(site.endsWith('…')).toBe(true);
    expect(cleanString('😀'.repeat(10), 5)).toBe('😀😀😀😀…'); // code points, never half of one
  });

  it('reads lines across chunks, multi-byte characters across chunk boundaries, and skips a line too long', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uws-read-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 't.jsonl');
    const lines = Array.from({ length: 40_000 }, (_, i) => `{"n":${i},"s":"é😀"}`);
    const long = 'y'.repeat(MAX_LINE + 1);
    writeFileSync(file, `${lines.join('\n')}\n\n   \n${long}\n{"last":true}\n${long}`);
    const seen: (string | undefined)[] = [];
    eachLine(file, (text) => seen.push(text));
    expect(seen).toEqual([...lines, undefined, '{"last":true}', undefined]);
  });
});

describe('forTerminal', () => {
  it('writes every control, bidi and invisible character as its escape', () => {
    expect(forTerminal('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(forTerminal('a\u202eb\u2066c\u200fd\u061ce')).toBe('a\\u202eb\\u2066c\\u200fd\\u061ce');
    expect(forTerminal('\u009b2J\u0007\t\n\r\u0000\u007f')).toBe(
      '\\x9b2J\\x07\\x09\\x0a\\x0d\\x00\\x7f',
    );
    expect(forTerminal('\ud800')).toBe('\\ud800');
    expect(forTerminal('src/ünïcode.ts:1:1 😀 <img src=x>')).toBe(
      'src/ünïcode.ts:1:1 😀 <img src=x>',
    );
  });
});

describe('the words of the report', () => {
  it('says durations without rounding up', () => {
    expect([
      duration(0),
      duration(940),
      duration(15_400),
      duration(119_999),
      duration(3_599_000),
      duration(47 * 3_600_000),
      duration(6.99 * 86_400_000),
      duration(86_400_000 * 90),
    ]).toEqual(['0 s', '0.9 s', '15 s', '119 s', '59 min', '47 h', '6.9 days', '90 days']);
  });

  it('gives the summary line in the order of the issue, leaving out what is zero', () => {
    const summary = {
      total: 20,
      'safe-to-remove': 14,
      'in-use': 2,
      quiet: 0,
      'still-imported': 0,
      'not-enough-data': 4,
    };
    expect(summaryLine({ summary } as ReportModel)).toBe(
      '14 of 20 shims removable · 2 in use · 4 need more data',
    );
  });
});
