import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { cleanText, renderHtml } from '../../src/telemetry/html';
import type { CodeModel, ReportModel, Verdict } from '../../src/telemetry/model';
import { closeBrowser, launchBrowser } from '../support/browser';

// The page as a person sees it, in the real browser the tests install (test/support): a report of
// 90 days × 20 codes whose telemetry was written by hostile hosts, opened from disk at 1,280 px.

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '</style><script>window.__pwned=1</script>',
  '"><svg onload=window.__pwned=1>',
  '\'><iframe srcdoc="<script>parent.__pwned=1</script>">',
  '</title></text></svg><script>window.__pwned=1;alert(1)</script>',
  '\u001b[31mred\u001b[0m \u202egnp.exe\u202c \u0007bell',
];
const DAYS = 90;
const FIRST_DAY = Date.UTC(2026, 0, 1);
const day = (index: number) => new Date(FIRST_DAY + index * 86_400_000).toISOString().slice(0, 10);

/** Calls per day from a function of the day's index; days with 0 are left out, as the reader does. */
function days(calls: (index: number) => number): Record<string, number> {
  const result: Record<string, number> = {};
  for (let i = 0; i < DAYS; i++) if (calls(i) > 0) result[day(i)] = calls(i);
  return result;
}

function code(number: number, verdict: Verdict, perDay: Record<string, number>): CodeModel {
  const calls = Object.values(perDay).reduce((a, b) => a + b, 0);
  const seen = Object.keys(perDay).sort();
  const hostile = HOSTILE[number % HOSTILE.length] as string;
  return {
    code: `UWS${String(number).padStart(3, '0')}`,
    entryPoint:
      number === 7
        ? `unified-ws/${'very-long-legacy-module-name/'.repeat(8)}index${hostile}`
        : `unified-ws/websocket-core/manager-${number}${number % 3 === 0 ? hostile : ''}`,
    calls,
    sites: calls === 0 ? 0 : 3,
    firstSeen: seen[0] === undefined ? undefined : `${seen[0]}T08:15:00.000Z`,
    lastSeen: seen.at(-1) === undefined ? undefined : `${seen.at(-1)}T17:45:30.000Z`,
    hosts: calls === 0 ? 0 : 2,
    verdict,
    reason: `${verdict.replace(/-/g, ' ')} ${number % 2 === 0 ? hostile : ''}`.trim(),
    importers:
      verdict === 'still-imported' ? [`app:src/chat.ts:3${hostile}`, 'app:src/b.ts:9'] : [],
    days: perDay,
    topSites:
      calls === 0
        ? []
        : [
            { site: `/srv/app/src/${'deeply/nested/'.repeat(12)}handler.ts:42:7`, calls },
            { site: `/srv/app/src/x.ts:1${hostile}`, calls: 1 },
          ],
  };
}

const VERDICTS: Verdict[] = [
  'in-use', // the busy code: 100,000 calls a day
  'in-use', // 1 call on a few days
  'in-use', // 1 to 3 calls a day
  'quiet',
  'quiet',
  'still-imported',
  'not-enough-data',
  'not-enough-data',
  ...new Array<Verdict>(12).fill('safe-to-remove'),
];

function model(): ReportModel {
  const codes = VERDICTS.map((verdict, i) => {
    const n = i + 1;
    if (n === 1)
      return code(
        n,
        verdict,
        days((d) => 100_000 - (d % 7) * 9_000),
      );
    if (n === 2)
      return code(
        n,
        verdict,
        days((d) => (d % 30 === 29 ? 1 : 0)),
      );
    if (n === 3)
      return code(
        n,
        verdict,
        days((d) => 1 + (d % 3)),
      );
    if (n === 4)
      return code(
        n,
        verdict,
        days((d) => (d < 20 ? 40 + d : 0)),
      );
    if (n === 5)
      return code(
        n,
        verdict,
        days((d) => (d === 10 ? 2 : 0)),
      );
    return code(n, verdict, {});
  });
  const summary = { total: codes.length } as ReportModel['summary'];
  for (const verdict of new Set(VERDICTS)) {
    summary[verdict] = codes.filter((c) => c.verdict === verdict).length;
  }
  const report: ReportModel = {
    generated: '2026-04-01T09:00:00.000Z',
    window: {
      from: `${day(0)}T00:00:04.000Z`,
      to: `${day(DAYS - 1)}T23:59:58.000Z`,
      hosts: ['web-1', 'web-2', ...HOSTILE],
      processes: 14,
    },
    summary,
    codes,
    lines: 123_456,
    skipped: { 'not JSON': 12, 'bad code': 3, [HOSTILE[0] as string]: 1 },
    options: { minDays: 30, quietDays: 14, repositories: [`../app${HOSTILE[2]}`] },
  };
  // The model's optional fields, assigned so that this compiles with a model without them too.
  return Object.assign(report, {
    unknown: [
      {
        code: `UWS999${HOSTILE[1]}`,
        entryPoint: `other-package/${HOSTILE[0]}`,
        calls: 12,
        lines: 4,
        lastSeen: '2026-03-30T10:00:00.000Z',
        hosts: 1,
      },
    ],
    unparsed: [`app:src/broken.ts:1${HOSTILE[2]}`],
  });
}

describe('the HTML report in headless Chromium at 1,280 px', () => {
  let browser: Browser | undefined;
  let scratch: string;
  let file: string;
  const report = model();

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'uws-html-'));
    file = join(scratch, 'report.html');
    writeFileSync(file, renderHtml(report));
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await closeBrowser(browser);
    rmSync(scratch, { recursive: true, force: true });
  }, 30_000);

  /** The report in a new page; what it asked for and the dialogs it opened are recorded. */
  async function open(options: { bypassCsp?: boolean } = {}) {
    if (browser === undefined) throw new Error('no browser');
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.setViewport({ width: 1280, height: 800 });
    if (options.bypassCsp) await page.setBypassCSP(true);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, requests, dialogs };
  }

  async function pwned(page: Page): Promise<unknown> {
    return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
  }

  it('runs no script from telemetry, even with its Content-Security-Policy ignored', async () => {
    for (const bypassCsp of [false, true]) {
      const { page, requests, dialogs } = await open({ bypassCsp });
      try {
        expect(await pwned(page)).toBeUndefined();
        expect(dialogs).toEqual([]);
        // Self-contained: the file itself is the only thing it loads.
        expect(requests).toEqual([pathToFileURL(file).href]);
        const dom = await page.evaluate(() => ({
          scripts: document.querySelectorAll('script, iframe, img, object, embed').length,
          svgs: document.querySelectorAll('svg').length,
          handlers: [...document.querySelectorAll('*')].flatMap((element) =>
            element.getAttributeNames().filter((name) => name.startsWith('on')),
          ),
          text: document.body.textContent ?? '',
        }));
        expect(dom).toMatchObject({ scripts: 0, svgs: 1, handlers: [] });
        // The hostile strings are there as text, to be read, without their control characters.
        for (const hostile of HOSTILE) expect(dom.text).toContain(cleanText(hostile));
        expect(dom.text).not.toMatch(/[\u0000-\u0008\u001b\u202a-\u202e]/);
      } finally {
        await page.close();
      }
    }
  }, 30_000);

  it('does not scroll horizontally, and draws a row with visible bars for every code', async () => {
    const { page } = await open();
    try {
      const layout = await page.evaluate(() => {
        const box = (element: Element | null) => element?.getBoundingClientRect().toJSON();
        const rows = [...document.querySelectorAll('svg.chart g.row')].map((row) => ({
          code: row.getAttribute('data-code'),
          bars: [...row.querySelectorAll('rect.bar')].map((bar) => {
            const { width, height } = bar.getBoundingClientRect();
            return { width, height };
          }),
          scale: row.querySelector('text.scale')?.textContent ?? null,
          none: row.querySelector('text.none')?.textContent ?? null,
        }));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          bodyScrollWidth: document.body.scrollWidth,
          chart: box(document.querySelector('svg.chart')),
          table: box(document.querySelector('table.codes')),
          rows,
        };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(1280);
      expect(layout.bodyScrollWidth).toBeLessThanOrEqual(1280);
      expect(layout.chart?.right).toBeLessThanOrEqual(1280);
      expect(layout.table?.right).toBeLessThanOrEqual(1280);

      expect(layout.rows.map((row) => row.code)).toEqual(report.codes.map((c) => c.code));
      for (const [index, row] of layout.rows.entries()) {
        const calledDays = Object.keys(report.codes[index]?.days ?? {}).length;
        expect(row.bars).toHaveLength(calledDays);
        // Low-volume codes beside one at 100,000 a day: every called day is a bar one can see.
        for (const bar of row.bars) {
          expect(bar.width).toBeGreaterThanOrEqual(3);
          expect(bar.height).toBeGreaterThanOrEqual(1.5);
        }
        if (calledDays === 0) expect(row.none).toBe('no calls observed');
      }
      // Each row's scale is labelled with its own maximum.
      expect(layout.rows.slice(0, 5).map((row) => row.scale)).toEqual([
        '100k/day',
        '1/day',
        '3/day',
        '59/day',
        '2/day',
      ]);
      // On its own scale the code called once on three days has bars as tall as the busy one's.
      const tallest = (i: number) => Math.max(...(layout.rows[i]?.bars.map((b) => b.height) ?? []));
      expect(tallest(1)).toBeCloseTo(tallest(0), 0);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('labels the date axis and the rows without any two labels overlapping', async () => {
    const { page } = await open();
    try {
      const boxes = await page.evaluate(() => {
        const rects = (selector: string) =>
          [...document.querySelectorAll(selector)].map((element) => ({
            text: element.textContent ?? '',
            ...element.getBoundingClientRect().toJSON(),
          })) as { text: string; left: number; right: number; top: number; bottom: number }[];
        const plot = document.querySelector('svg.chart line.baseline')?.getBoundingClientRect();
        return {
          top: rects('svg.chart .axis-top text.tick'),
          bottom: rects('svg.chart .axis-bottom text.tick'),
          labels: rects('svg.chart g.label text'),
          scales: rects('svg.chart text.scale, svg.chart text.verdict'),
          plotLeft: plot?.left ?? 0,
          plotRight: plot?.right ?? 0,
          chartRight: document.querySelector('svg.chart')?.getBoundingClientRect().right ?? 0,
        };
      });
      const overlaps = (list: typeof boxes.top) =>
        list.flatMap((a, i) =>
          list
            .slice(i + 1)
            .filter((b) => a.left < b.right && b.left < a.right)
            .filter((b) => a.top < b.bottom && b.top < a.bottom)
            .map((b) => `${a.text} × ${b.text}`),
        );
      for (const axis of [boxes.top, boxes.bottom]) {
        expect(axis.length).toBeGreaterThanOrEqual(4);
        expect(axis.every((tick) => /^\d{4}-\d{2}-\d{2}$/.test(tick.text))).toBe(true);
        expect(overlaps(axis)).toEqual([]);
      }
      expect(boxes.bottom.map((tick) => tick.text)).toEqual(boxes.top.map((tick) => tick.text));
      expect(boxes.bottom[0]?.text).toBe('2026-01-01');
      expect(boxes.labels).toHaveLength(2 * report.codes.length);
      expect(overlaps(boxes.labels)).toEqual([]);
      // The codes and entry points stay left of the bars, however long; the scales right of them.
      expect(boxes.labels.filter((label) => label.right > boxes.plotLeft)).toEqual([]);
      expect(boxes.scales.filter((label) => label.left < boxes.plotRight)).toEqual([]);
      expect(boxes.scales.filter((label) => label.right > boxes.chartRight)).toEqual([]);
      expect(overlaps(boxes.scales)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('takes a screenshot of the whole page', async () => {
    const { page } = await open();
    try {
      const png = join(scratch, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(statSync(png).size).toBeGreaterThan(20_000);
      // To look at it: UWS_HTML_SCREENSHOT=/tmp/report.png npx jest test/telemetry/html-browser
      // writes the page, its first screen (…-screen.png) and the table's top (…-table.png).
      const keep = process.env.UWS_HTML_SCREENSHOT;
      if (keep) {
        copyFileSync(png, keep);
        const stem = keep.replace(/\.png$/, '');
        await page.screenshot({ path: `${stem}-screen.png` });
        const table = await page.$eval('table.codes', (t) => t.getBoundingClientRect().top);
        const clip = { x: 0, y: table, width: 1280, height: 800 };
        await page.screenshot({ path: `${stem}-table.png`, clip, captureBeyondViewport: true });
      }
    } finally {
      await page.close();
    }
  }, 30_000);
});
