import { cleanText, escapeHtml, renderHtml } from '../../src/telemetry/html';
import type { CodeModel, ReportModel } from '../../src/telemetry/model';

// The page's text without a browser: escaping, what the page may contain, and the chart's geometry.
// test/telemetry/html-browser.test.ts opens the page in Chromium.

function codeModel(fields: Partial<CodeModel> = {}): CodeModel {
  return {
    code: 'UWS001',
    entryPoint: 'unified-ws/websocket-core/manager',
    calls: 3,
    sites: 1,
    firstSeen: '2026-01-01T10:00:00.000Z',
    lastSeen: '2026-01-03T10:00:00.000Z',
    hosts: 1,
    verdict: 'in-use',
    reason: 'in use',
    importers: [],
    days: { '2026-01-01': 1, '2026-01-03': 2 },
    topSites: [{ site: '/srv/app/src/chat.ts:12:5', calls: 3 }],
    ...fields,
  };
}

function reportModel(fields: Partial<ReportModel> = {}): ReportModel {
  const codes = fields.codes ?? [codeModel()];
  return {
    generated: '2026-01-04T00:00:00.000Z',
    window: {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-03T23:00:00.000Z',
      hosts: ['web-1'],
      processes: 1,
    },
    summary: {
      total: codes.length,
      'in-use': codes.length,
      quiet: 0,
      'safe-to-remove': 0,
      'still-imported': 0,
      'not-enough-data': 0,
    },
    codes,
    lines: 10,
    skipped: {},
    options: { minDays: 30, quietDays: 14, repositories: [] },
    ...fields,
  };
}

describe('escapeHtml', () => {
  it('escapes the characters HTML gives a meaning to, in text and in quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('</style><script>alert(1)</script>')).toBe(
      '&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });

  it('removes ANSI sequences, control characters and bidi controls, keeping text', () => {
    expect(cleanText('\u001b[31mred\u001b[0m and \u001b]0;title\u0007plain')).toBe('red and plain');
    expect(cleanText('a\u0000b\u0007c\u007fd\u0085e\u009bf')).toBe('abcdef');
    expect(cleanText('file\u202egnp.exe\u202c \u2066x\u2069\u200f')).toBe('filegnp.exe x');
    expect(cleanText('tab\tand\nline')).toBe('tab\tand\nline');
    // The same characters as the terminal view refuses: zero-width ones too.
    expect(cleanText('a\u200bb\ufeffc\u2028d')).toBe('abcd');
    expect(cleanText('数据 ünïcode 🚀 – “quotes”')).toBe('数据 ünïcode 🚀 – “quotes”');
    expect(cleanText('lone \ud800 surrogate \udc00')).toBe('lone \ufffd surrogate \ufffd');
    expect(escapeHtml('\u001b[1m<b>\u001b[0m')).toBe('&lt;b&gt;');
  });

  it('takes any value', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('renderHtml', () => {
  /** A model where every string field from telemetry is a tag named after the field. */
  function hostileModel(): ReportModel {
    const tag = (field: string) => `<x-${field} onclick="alert(1)">'"&`;
    const code = codeModel({
      code: tag('code'),
      entryPoint: tag('entry'),
      firstSeen: tag('first'),
      lastSeen: tag('last'),
      reason: tag('reason'),
      verdict: tag('verdict') as CodeModel['verdict'],
      importers: [tag('importer')],
      days: { '2026-01-02': 5, [tag('day')]: 7 },
      topSites: [{ site: tag('site'), calls: 5 }],
    });
    const model = reportModel({
      generated: tag('generated'),
      window: { from: tag('from'), to: tag('to'), hosts: [tag('host')], processes: 1 },
      codes: [Object.assign(code, { skippedLines: 2 }), codeModel({ code: 'UWS002' })],
      skipped: { [tag('skip')]: 2 },
      options: { minDays: 30, quietDays: 14, repositories: [tag('repo')] },
    });
    // The model's optional fields, assigned so that this compiles with a model without them too.
    return Object.assign(model, {
      unknown: [
        {
          code: tag('unknown-code'),
          entryPoint: tag('unknown-entry'),
          calls: 4,
          lines: 2,
          lastSeen: tag('unknown-last'),
          hosts: 1,
        },
      ],
      unparsed: [tag('unparsed')],
    });
  }

  it('escapes every string of the model, wherever it is shown', () => {
    const html = renderHtml(hostileModel());
    expect(html).not.toContain('<x-');
    // No tag has an event handler: its attributes, with their quoted values taken out.
    const attributes = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) =>
      m[0].replace(/"[^"]*"/g, ''),
    );
    expect(attributes.filter((tag) => /\son[a-z]+=/i.test(tag))).toEqual([]);
    for (const field of [
      'code',
      'entry',
      'first',
      'last',
      'reason',
      'verdict',
      'importer',
      'site',
      'generated',
      'from',
      'to',
      'host',
      'skip',
      'repo',
      'unknown-code',
      'unknown-entry',
      'unknown-last',
      'unparsed',
    ]) {
      expect(html).toContain(`&lt;x-${field} onclick=&quot;alert(1)&quot;&gt;&#39;&quot;&amp;`);
    }
    // A day that is not a date is not charted, nor shown.
    expect(html).not.toContain('x-day');
    expect(html).toContain('2 lines naming it skipped');
    expect(html).toContain('Codes not in the manifest');
    expect(html).toContain('1 file of the repositories names a legacy module but did not parse');
    expect(html).toContain('Also: 1 file did not parse · 1 code not in the manifest');
  });

  it('is one page that loads nothing and runs nothing', () => {
    const html = renderHtml(hostileModel());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    // The policy comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(html).not.toMatch(/<(script|iframe|img|object|embed|link|base|form)\b/i);
    expect(html).not.toMatch(/\b(src|href|action|xlink:href)=/i);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(new Set([...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]))).toEqual(
      new Set(['#uws-label-clip']),
    );
  });

  it('says first how many shims can go, then the window and its hosts', () => {
    const codes = [
      ...Array.from({ length: 14 }, (_, i) =>
        codeModel({ code: `UWS${100 + i}`, verdict: 'safe-to-remove', calls: 0, days: {} }),
      ),
      codeModel({ code: 'UWS201' }),
      codeModel({ code: 'UWS202' }),
      ...Array.from({ length: 4 }, (_, i) =>
        codeModel({ code: `UWS${300 + i}`, verdict: 'not-enough-data', calls: 0, days: {} }),
      ),
    ];
    const html = renderHtml(
      reportModel({
        codes,
        summary: {
          total: 20,
          'safe-to-remove': 14,
          'in-use': 2,
          quiet: 0,
          'still-imported': 0,
          'not-enough-data': 4,
        },
        window: {
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-03-31T12:00:00.000Z',
          hosts: ['web-1', 'web-2'],
          processes: 6,
        },
      }),
    );
    const text = html
      .replace(/<style>.*?<\/style>/s, '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ');
    expect(text).toContain('14 of 20 shims removable · 2 in use · 4 need more data');
    expect(text).toContain(
      'Observed from 2026-01-01 00:00 to 2026-03-31 12:00 UTC (89.5 days), by 6 processes on 2 hosts: web-1, web-2.',
    );
    expect(text.indexOf('shims removable')).toBeLessThan(text.indexOf('Calls per day'));
    expect(text.indexOf('Calls per day')).toBeLessThan(text.indexOf('top call sites'));
    expect(text.indexOf('top call sites')).toBeLessThan(text.indexOf('Skipped lines'));
  });

  it('cuts a telemetry string longer than any real path, keeping it whole in a tooltip', () => {
    const long = `web-${'x'.repeat(5000)}`;
    const site = `src/${'deep/'.repeat(200)}a.ts:1:1`;
    const page = renderHtml(
      reportModel({
        window: {
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-01-02T00:00:00.000Z',
          hosts: [long],
          processes: 1,
        },
        codes: [codeModel({ code: 'UWS001', calls: 1, topSites: [{ site, calls: 1 }] })],
      }),
    );
    const shown = page.replace(/title="[^"]*"/g, '');
    expect(shown).not.toContain('x'.repeat(200));
    expect(shown).not.toContain('deep/<wbr>'.repeat(50));
    expect(page).toContain(`title="${long}"`);
  });

  it('renders a model without telemetry', () => {
    const html = renderHtml(
      reportModel({
        window: { from: undefined, to: undefined, hosts: [], processes: 0 },
        codes: [codeModel({ verdict: 'not-enough-data', calls: 0, days: {}, topSites: [] })],
        lines: 0,
      }),
    );
    expect(html).toContain('No telemetry was read.');
    expect(html).toContain('nothing to chart');
    expect(html).toContain('0 lines of telemetry read; none skipped.');
  });

  it('lists the skipped lines by reason, the most frequent first', () => {
    const html = renderHtml(reportModel({ skipped: { 'bad code': 2, 'not JSON': 5 } }));
    expect(html).toContain('10 lines of telemetry read; 7 skipped');
    expect(html.indexOf('not JSON')).toBeLessThan(html.indexOf('bad code'));
  });

  describe('the chart', () => {
    /** The x of each date label of the bottom axis, and its text. */
    function ticks(html: string): { x: number; label: string }[] {
      const axis = /<g class="axis axis-bottom">(.*?)<\/g>/.exec(html)?.[1] ?? '';
      return [...axis.matchAll(/x="([\d.]+)"[^>]*>([^<]+)</g)].map((m) => ({
        x: Number(m[1]),
        label: m[2] as string,
      }));
    }

    function window(days: number): ReportModel {
      const start = Date.UTC(2025, 0, 1);
      const day = (i: number) => new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      const calls: Record<string, number> = {};
      for (let i = 0; i < days; i += 1) calls[day(i)] = 1 + (i % 5);
      return reportModel({
        window: {
          from: `${day(0)}T00:00:00.000Z`,
          to: `${day(days - 1)}T12:00:00.000Z`,
          hosts: [],
          processes: 1,
        },
        codes: [codeModel({ days: calls })],
      });
    }

    it.each([1, 2, 7, 30, 90, 365, 400, 1000, 3650])(
      'labels %i days with dates at least 100 units apart, starting at the first',
      (days) => {
        const marks = ticks(renderHtml(window(days)));
        expect(marks[0]?.label).toBe('2025-01-01');
        expect(marks.length).toBeGreaterThanOrEqual(Math.min(days, 4));
        for (let i = 1; i < marks.length; i += 1) {
          expect((marks[i]?.x ?? 0) - (marks[i - 1]?.x ?? 0)).toBeGreaterThanOrEqual(100);
        }
      },
    );

    it('draws one bar a day up to a year, and one bar for several days beyond', () => {
      const bars = (html: string) => html.match(/<rect class="bar"/g)?.length ?? 0;
      expect(bars(renderHtml(window(90)))).toBe(90);
      expect(bars(renderHtml(window(366)))).toBe(366);
      const decade = renderHtml(window(3650));
      expect(bars(decade)).toBeLessThanOrEqual(366);
      expect(decade).toContain('busiest 10 days');
    });

    it('gives each row its own scale, labelled with its maximum, and every called day a bar', () => {
      const html = renderHtml(
        reportModel({
          codes: [
            codeModel({ code: 'UWS001', days: { '2026-01-01': 1_000_000, '2026-01-02': 1 } }),
            codeModel({ code: 'UWS002', days: { '2026-01-03': 2 } }),
            codeModel({ code: 'UWS003', days: { '2026-01-03': 999_950 } }),
            codeModel({ code: 'UWS004', verdict: 'safe-to-remove', calls: 0, days: {} }),
          ],
        }),
      );
      const scales = [...html.matchAll(/<text class="scale"[^>]*>([^<]+)</g)].map((m) => m[1]);
      expect(scales).toEqual(['1M/day', '2/day', '1M/day']);
      const heights = [...html.matchAll(/<rect class="bar"[^>]*height="([\d.]+)"/g)].map((m) =>
        Number(m[1]),
      );
      // 1 call beside 1,000,000 is still 2 units tall; 2 calls alone fill their row.
      expect(heights).toEqual([21, 2, 21, 21]);
      expect(html).toContain('no calls observed');
    });
  });
});
