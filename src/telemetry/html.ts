// The report as one self-contained HTML page: the summary, a chart of calls per day (one row per
// code, each on its own scale, on a shared date axis), the table of verdicts, the skipped lines.
// No script, no external URL, and a Content-Security-Policy that allows neither; every string of
// the model came from telemetry that many hosts wrote, so each one goes through `escapeHtml`.

import type { CodeModel, ReportModel, Verdict } from './model';

/**
 * The model's later, optional fields, read through this view so that a model without them (an
 * older producer, a test's) renders as well: what the telemetry named that the manifest does not,
 * the files that did not parse, and the skipped lines that named a code.
 */
type Extended = ReportModel & {
  unknown?: {
    code: string;
    entryPoint: string;
    calls: number;
    lines: number;
    lastSeen: string | undefined;
    hosts: number;
  }[];
  unparsed?: string[];
  codes: (CodeModel & { skippedLines?: number })[];
};

/** ANSI escape sequences (CSI and OSC), removed whole so that no `[31m` is left behind. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
/**
 * Characters that are not text: C0 and C1 controls (tab and line feed excepted), and the bidi
 * controls that would make a string read as something else (U+202E turns `exe.txt` around).
 */
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Lone surrogates, which no encoder can write: each becomes U+FFFD, as a decoder would show it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string as text a person can read: ANSI sequences, control and bidi characters removed. */
export function cleanText(value: unknown): string {
  return String(value ?? '')
    .replace(ANSI, '')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one escape of the page, for text and for quoted attribute values alike: `cleanText`, then
 * the five characters that HTML gives a meaning to as entities.
 */
export function escapeHtml(value: unknown): string {
  return cleanText(value).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/**
 * A path or module name as HTML text (never an attribute): escaped, with a line break allowed after
 * each slash, so that a narrow cell breaks `chat-backend/src/` before `server.ts:88:13`.
 */
function pathHtml(value: unknown): string {
  return escapeHtml(value).replace(/\//g, '/<wbr>');
}

/** At most `max` characters (code points, never half of one), with an ellipsis when cut. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** A count as people write it: 1,234,567; anything that is not a count reads 0. */
function count(n: number): string {
  return (Number.isFinite(n) && n > 0 ? Math.round(n) : 0).toLocaleString('en-US');
}

/** A count in at most five characters, for the scale labels: 950, 9,999, 12k, 1.2M, 999k. */
function compact(n: number): string {
  if (!Number.isFinite(n) || n < 10_000) return count(n);
  for (const [size, unit] of [
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'G'],
    [1e12, 'T'],
  ] as const) {
    const value = n / size;
    const shown = value < 100 ? Number(value.toFixed(1)) : Math.round(value);
    if (shown < 1000) return `${shown}${unit}`;
  }
  return n.toExponential(1);
}

const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

interface VerdictStyle {
  /** The verdict in the legend and the rows. */
  label: string;
  /** Its part of the summary line, for n codes. */
  summary: (n: number) => string;
  colour: string;
}

// Colours told apart with the common colour-vision deficiencies too: the label is always beside.
const VERDICTS: Record<Verdict, VerdictStyle> = {
  'safe-to-remove': {
    label: 'safe to remove',
    summary: (n) => `${count(n)} removable`,
    colour: '#15803d',
  },
  'in-use': { label: 'in use', summary: (n) => `${count(n)} in use`, colour: '#c2410c' },
  quiet: { label: 'quiet', summary: (n) => `${count(n)} quiet`, colour: '#a16207' },
  'still-imported': {
    label: 'still imported',
    summary: (n) => `${count(n)} still imported`,
    colour: '#7c3aed',
  },
  'not-enough-data': {
    label: 'not enough data',
    summary: (n) => `${count(n)} ${n === 1 ? 'needs' : 'need'} more data`,
    colour: '#64748b',
  },
};
const VERDICT_ORDER: Verdict[] = [
  'safe-to-remove',
  'in-use',
  'quiet',
  'still-imported',
  'not-enough-data',
];
const UNKNOWN: VerdictStyle = { label: 'unknown', summary: () => '', colour: '#334155' };

/** A verdict's style; a value outside the five (never from a valid model) is shown as unknown. */
function style(verdict: string): VerdictStyle {
  return Object.prototype.hasOwnProperty.call(VERDICTS, verdict)
    ? VERDICTS[verdict as Verdict]
    : UNKNOWN;
}

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** The UTC midnight of an ISO date or timestamp, if it starts with a real date. */
function dayOf(value: string | undefined): number | undefined {
  const match = DATE.exec(value ?? '');
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(match[0])
    ? time
    : undefined;
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** An ISO timestamp as `2026-03-31 14:05` (UTC); anything else as its clean text. */
function when(value: string | undefined): string {
  if (value === undefined || value === '') return '—';
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(value);
  return match ? [match[1], match[2]].filter(Boolean).join(' ') : value;
}

// The chart's geometry, in the units of its viewBox: CSS pixels when the page is 1,280 px wide.
const CHART = {
  width: 1152,
  /** The code and its entry point, left of the plot. */
  labelWidth: 350,
  plotX: 362,
  plotWidth: 662,
  rowHeight: 30,
  /** The bars' height at the row's maximum. */
  barHeight: 21,
  axisHeight: 24,
  /** Date labels are at least this far apart, centre to centre: about 1.5 labels wide. */
  tickSpacing: 100,
  /** More days than this are drawn as one bar per several days. */
  maxBars: 366,
} as const;
const SCALE_X = CHART.plotX + CHART.plotWidth + 10;
/**
 * How many characters of a monospace label at `size` px fit left of the plot: monospace fonts are
 * 0.6 em wide, or a little less; the clip path cuts what a wider font would still overflow.
 */
const fits = (size: number) => Math.floor((CHART.labelWidth - 16) / (size * 0.6));

/** The shared date axis: from the first to the last day of the window and of any call. */
interface Axis {
  start: number;
  /** Days per bar: 1 up to a year, more beyond. */
  bucket: number;
  bars: number;
  barWidth: number;
}

function axisOf(model: ReportModel, codes: CodeModel[]): Axis | undefined {
  const days = [dayOf(model.window.from), dayOf(model.window.to)];
  for (const code of codes) for (const day of Object.keys(code.days ?? {})) days.push(dayOf(day));
  const known = days.filter((day): day is number => day !== undefined);
  if (known.length === 0) return undefined;
  const start = Math.min(...known);
  const span = (Math.max(...known) - start) / DAY + 1;
  const bucket = Math.ceil(span / CHART.maxBars);
  const bars = Math.ceil(span / bucket);
  return { start, bucket, bars, barWidth: CHART.plotWidth / bars };
}

/** Calls per bar of the axis; days that are not dates or counts that are not counts are left out. */
function series(code: CodeModel, axis: Axis): number[] {
  const values = new Array<number>(axis.bars).fill(0);
  for (const [day, calls] of Object.entries(code.days ?? {})) {
    const time = dayOf(day);
    if (time === undefined || !Number.isFinite(calls) || calls <= 0) continue;
    const index = Math.floor((time - axis.start) / DAY / axis.bucket);
    if (index >= 0 && index < axis.bars) values[index] = (values[index] ?? 0) + calls;
  }
  return values;
}

/** The bars that get a date label: evenly spaced, never closer than `tickSpacing`, with the last. */
function ticks(axis: Axis): number[] {
  const steps = [1, 2, 7, 14, 28, 56, 91, 182, 364];
  let step = steps.find((s) => s * axis.barWidth >= CHART.tickSpacing);
  for (step ??= 728; step * axis.barWidth < CHART.tickSpacing;) step *= 2;
  const indexes: number[] = [];
  for (let i = 0; i < axis.bars; i += step) indexes.push(i);
  const last = axis.bars - 1;
  const previous = indexes[indexes.length - 1] ?? 0;
  if (last !== previous && (last - previous) * axis.barWidth >= CHART.tickSpacing) {
    indexes.push(last);
  }
  return indexes;
}

const centre = (axis: Axis, index: number) => CHART.plotX + (index + 0.5) * axis.barWidth;
const fixed = (n: number) => String(Math.round(n * 100) / 100);

function dateAxis(axis: Axis, marks: number[], y: number, position: 'top' | 'bottom'): string {
  const labels = marks
    .map((index) => {
      const label = isoDay(axis.start + index * axis.bucket * DAY);
      return `<text class="tick" x="${fixed(centre(axis, index))}" y="${y}" text-anchor="middle">${label}</text>`;
    })
    .join('');
  return `<g class="axis axis-${position}">${labels}</g>`;
}

function chartRow(code: CodeModel, axis: Axis, row: number): string {
  const top = CHART.axisHeight + row * CHART.rowHeight;
  const look = style(code.verdict);
  const values = series(code, axis);
  const max = Math.max(0, ...values);
  const name = escapeHtml(code.code);
  const base = top + 4 + CHART.barHeight;
  const gap = axis.barWidth >= 4 ? 1 : 0;
  const bars = values
    .map((calls, index) => {
      if (calls <= 0) return '';
      // Each row on its own scale, so a code called twice a day is as plain as one called 100,000
      // times; a day with any call gets at least 2 px, however busy the rest of its row.
      const height = Math.max(2, (calls / max) * CHART.barHeight);
      const from = isoDay(axis.start + index * axis.bucket * DAY);
      const span = axis.bucket === 1 ? from : `${axis.bucket} days from ${from}`;
      return `<rect class="bar" x="${fixed(CHART.plotX + index * axis.barWidth + gap / 2)}" y="${fixed(base - height)}" width="${fixed(Math.max(0.5, axis.barWidth - gap))}" height="${fixed(height)}"><title>${name} ${span}: ${plural(calls, 'call')}</title></rect>`;
    })
    .join('');
  const empty =
    max === 0
      ? `<text class="none" x="${CHART.plotX + 8}" y="${base - 7}">no calls observed</text>`
      : '';
  const scale =
    max === 0
      ? ''
      : `<line class="scale-tick" x1="${CHART.plotX + CHART.plotWidth}" x2="${CHART.plotX + CHART.plotWidth + 5}" y1="${base - CHART.barHeight}" y2="${base - CHART.barHeight}"/>` +
        `<text class="scale" x="${SCALE_X}" y="${base - CHART.barHeight + 4}">${compact(max)}${axis.bucket === 1 ? '/day' : ''}</text>`;
  return (
    `<g class="row ${escapeHtml(code.verdict)}" data-code="${name}" data-max="${max}" style="--verdict:${look.colour}">` +
    `<title>${name} (${escapeHtml(code.entryPoint)}): ${plural(code.calls, 'call')}, ${escapeHtml(look.label)}</title>` +
    `<rect class="stripe" x="0" y="${top + 2}" width="4" height="${CHART.rowHeight - 4}"/>` +
    `<g class="label" clip-path="url(#uws-label-clip)">` +
    `<text class="code" x="12" y="${top + 12}">${escapeHtml(truncate(cleanText(code.code), fits(12)))}</text>` +
    `<text class="entry" x="12" y="${top + 26}">${escapeHtml(truncate(cleanText(code.entryPoint), fits(11)))}</text>` +
    `</g>` +
    `<line class="baseline" x1="${CHART.plotX}" x2="${CHART.plotX + CHART.plotWidth}" y1="${base}" y2="${base}"/>` +
    bars +
    empty +
    scale +
    `<text class="verdict" x="${SCALE_X}" y="${base}">${escapeHtml(look.label)}</text>` +
    `</g>`
  );
}

function chart(model: ReportModel): string {
  const codes = model.codes;
  const axis = axisOf(model, codes);
  if (axis === undefined || codes.length === 0) {
    return '<p class="note">No telemetry in the window: nothing to chart.</p>';
  }
  const marks = ticks(axis);
  const height = CHART.axisHeight * 2 + codes.length * CHART.rowHeight;
  const rowsBottom = height - CHART.axisHeight;
  // Every other row on a tinted band, under the grid, under the bars.
  const bands = codes
    .map((_, row) => {
      const y = CHART.axisHeight + row * CHART.rowHeight;
      return row % 2 === 0
        ? `<rect x="0" y="${y}" width="${CHART.width}" height="${CHART.rowHeight}"/>`
        : '';
    })
    .join('');
  const grid = marks
    .map((index) => {
      const x = fixed(centre(axis, index));
      return `<line x1="${x}" x2="${x}" y1="${CHART.axisHeight - 4}" y2="${rowsBottom + 4}"/>`;
    })
    .join('');
  const unit = axis.bucket === 1 ? 'day' : `${axis.bucket} days`;
  return (
    `<p class="note">One row per code, each on its own scale: the number on the right is the row's busiest ${unit}, so a code called twice shows as plainly as one called 100,000 times. The colour is the verdict.</p>` +
    `<div class="legend">${legend(model)}</div>` +
    `<svg class="chart" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}" role="img" aria-label="Calls per ${unit} of each deprecation code, each row on its own scale">` +
    `<defs><clipPath id="uws-label-clip"><rect x="0" y="0" width="${CHART.labelWidth}" height="${height}"/></clipPath></defs>` +
    `<g class="bands">${bands}</g>` +
    `<g class="grid">${grid}</g>` +
    codes.map((code, row) => chartRow(code, axis, row)).join('') +
    dateAxis(axis, marks, CHART.axisHeight - 9, 'top') +
    dateAxis(axis, marks, rowsBottom + 17, 'bottom') +
    `</svg>`
  );
}

function legend(model: ReportModel): string {
  return VERDICT_ORDER.map((verdict) => {
    const look = VERDICTS[verdict];
    const n = model.summary[verdict] ?? 0;
    return `<span class="key" style="--verdict:${look.colour}"><span class="swatch"></span>${look.label} (${count(n)})</span>`;
  }).join('');
}

function summary(model: ReportModel): string {
  const s = model.summary;
  const total = s.total ?? model.codes.length;
  const parts = [
    `<strong class="safe-to-remove">${count(s['safe-to-remove'] ?? 0)} of ${plural(total, 'shim')} removable</strong>`,
    ...VERDICT_ORDER.slice(1)
      .filter((verdict) => (s[verdict] ?? 0) > 0)
      .map((verdict) => `<span class="${verdict}">${VERDICTS[verdict].summary(s[verdict])}</span>`),
  ];
  return parts.join(' · ');
}

function windowLine(model: ReportModel): string {
  const { from, to, hosts, processes } = model.window;
  if (from === undefined || to === undefined) return 'No telemetry was read.';
  const first = dayOf(from);
  const last = dayOf(to);
  const days =
    first !== undefined && last !== undefined
      ? ` (${plural((last - first) / DAY + 1, 'day')})`
      : '';
  const shown = hosts.slice(0, 12).map((host) => `<code>${escapeHtml(host)}</code>`);
  if (hosts.length > shown.length) shown.push(`and ${count(hosts.length - shown.length)} more`);
  return (
    `Observed from <time>${escapeHtml(when(from))}</time> to <time>${escapeHtml(when(to))}</time> UTC${days}, ` +
    `by ${plural(processes, 'process', 'processes')} on ${plural(hosts.length, 'host')}` +
    (shown.length > 0 ? `: ${shown.join(', ')}` : '') +
    '.'
  );
}

function options(model: ReportModel): string {
  const { minDays, quietDays, repositories } = model.options;
  const repos =
    repositories.length === 0
      ? 'no repository was searched for imports'
      : `imports searched in ${repositories.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ')}`;
  return (
    `A code is <em>in use</em> when called in the last ${plural(quietDays, 'day')}, <em>quiet</em> when ` +
    `called only before; without calls it is <em>safe to remove</em> after ${plural(minDays, 'day')} of telemetry ` +
    `and when no repository imports it; ${repos}.`
  );
}

function table(model: ReportModel): string {
  if (model.codes.length === 0) return '<p class="note">No deprecation code is known.</p>';
  const rows = model.codes.map((code) => {
    const look = style(code.verdict);
    const importers =
      code.importers.length === 0
        ? ''
        : `<ul class="importers">${code.importers.map((file) => `<li><code>${pathHtml(file)}</code></li>`).join('')}</ul>`;
    const sites =
      code.topSites.length === 0
        ? '—'
        : `<ul class="sites">${code.topSites
            .map(
              (site) =>
                `<li><span class="num" title="${count(site.calls)} calls">${compact(site.calls)}</span><code>${pathHtml(site.site)}</code></li>`,
            )
            .join('')}</ul>`;
    // "in use" needs no second line; "quiet since 2026-02-03" or "still imported by 3 files" does.
    const reason = cleanText(code.reason).trim();
    const because = reason === '' || reason === look.label ? '' : `<br>${escapeHtml(reason)}`;
    const skippedLines = (code as Extended['codes'][number]).skippedLines ?? 0;
    const uncounted =
      skippedLines > 0
        ? `<br><span class="warning">${plural(skippedLines, 'line')} naming it skipped</span>`
        : '';
    return (
      `<tr data-verdict="${escapeHtml(code.verdict)}" style="--verdict:${look.colour}">` +
      `<td><code class="code-name">${escapeHtml(code.code)}</code></td>` +
      `<td><code>${pathHtml(code.entryPoint)}</code></td>` +
      `<td class="num">${count(code.calls)}</td>` +
      `<td class="num">${count(code.sites)}</td>` +
      `<td class="num">${count(code.hosts)}</td>` +
      `<td title="${escapeHtml(code.firstSeen ?? '')}">${escapeHtml(when(code.firstSeen))}</td>` +
      `<td title="${escapeHtml(code.lastSeen ?? '')}">${escapeHtml(when(code.lastSeen))}</td>` +
      `<td><span class="verdict-label"><span class="swatch"></span>${escapeHtml(look.label)}</span>${because}${uncounted}${importers}</td>` +
      `<td>${sites}</td>` +
      `</tr>`
    );
  });
  return (
    `<table class="codes"><colgroup><col style="width:6%"><col style="width:23%"><col style="width:7.5%"><col style="width:5%"><col style="width:5%"><col style="width:8%"><col style="width:8%"><col style="width:14%"><col></colgroup>` +
    `<thead><tr><th>code</th><th>entry point</th><th class="num">calls</th><th class="num">sites</th><th class="num">hosts</th><th>first seen</th><th>last seen</th><th>verdict</th><th>top call sites</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

/** Codes the telemetry names that the manifest does not: shown, never dropped; none, nothing. */
function unknownCodes(model: Extended): string {
  const unknown = model.unknown ?? [];
  if (unknown.length === 0) return '';
  const rows = unknown.map(
    (code) =>
      `<tr><td><code>${escapeHtml(code.code)}</code></td><td><code>${pathHtml(code.entryPoint)}</code></td>` +
      `<td class="num">${count(code.calls)}</td><td class="num">${count(code.lines)}</td><td class="num">${count(code.hosts)}</td>` +
      `<td title="${escapeHtml(code.lastSeen ?? '')}">${escapeHtml(when(code.lastSeen))}</td></tr>`,
  );
  return (
    `<section><h2>Codes not in the manifest</h2>` +
    `<p class="note">The telemetry names ${plural(unknown.length, 'code')} that the manifest does not know: another package's, a newer version's, or a typo. They are counted here only.</p>` +
    `<table class="codes unknown"><colgroup><col style="width:12%"><col style="width:40%"><col style="width:11%"><col style="width:9%"><col style="width:9%"><col></colgroup>` +
    `<thead><tr><th>code</th><th>entry point</th><th class="num">calls</th><th class="num">lines</th><th class="num">hosts</th><th>last seen</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** Files that name a legacy module but did not parse: while there is one, nothing is removable. */
function unparsedFiles(model: Extended): string {
  const unparsed = model.unparsed ?? [];
  if (unparsed.length === 0) return '';
  return (
    `<section><h2>Files that did not parse</h2>` +
    `<p class="warning">${plural(unparsed.length, 'file')} of the repositories ${unparsed.length === 1 ? 'names' : 'name'} a legacy module but did not parse: what ${unparsed.length === 1 ? 'it imports' : 'they import'} is unknown, so no code is called safe to remove while there is one.</p>` +
    `<ul class="files">${unparsed.map((file) => `<li><code>${pathHtml(file)}</code></li>`).join('')}</ul></section>`
  );
}

/** The line under the summary when something keeps codes from being called removable. */
function caveats(model: Extended): string {
  const notes: string[] = [];
  const unparsed = model.unparsed?.length ?? 0;
  if (unparsed > 0) notes.push(`${plural(unparsed, 'file')} did not parse`);
  const unknown = model.unknown?.length ?? 0;
  if (unknown > 0) notes.push(`${plural(unknown, 'code')} not in the manifest`);
  return notes.length === 0 ? '' : `<p class="warning">Also: ${notes.join(' · ')} (below).</p>`;
}

function skipped(model: ReportModel): string {
  const reasons = Object.entries(model.skipped ?? {})
    .filter(([, n]) => Number.isFinite(n) && n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = reasons.reduce((sum, [, n]) => sum + n, 0);
  const read = `${plural(model.lines, 'line')} of telemetry read`;
  if (reasons.length === 0) return `<p>${read}; none skipped.</p>`;
  return (
    `<p>${read}; ${count(total)} skipped, left out of everything above:</p>` +
    `<table class="skipped"><thead><tr><th>reason</th><th class="num">lines</th></tr></thead><tbody>` +
    reasons
      .map(
        ([reason, n]) => `<tr><td>${escapeHtml(reason)}</td><td class="num">${count(n)}</td></tr>`,
      )
      .join('') +
    `</tbody></table>`
  );
}

const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{background:#fff;color:#0f172a}
body{margin:0 auto;padding:24px;max-width:1200px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px}
p{margin:6px 0}
code,.code,.entry{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"DejaVu Sans Mono",monospace}
code{font-size:12px;overflow-wrap:anywhere}
.headline{font-size:20px;margin:10px 0 6px}
.headline strong{font-weight:700}
.note{color:#475569}
.warning{color:#b45309}
ul.files{margin:4px 0;padding-left:20px}
.in-use{color:#c2410c}.quiet{color:#a16207}.safe-to-remove{color:#15803d}.still-imported{color:#7c3aed}.not-enough-data{color:#475569}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:4px 0 8px;color:#334155}
.key{display:inline-flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;background:var(--verdict)}
svg.chart{display:block;width:100%;height:auto;max-width:1152px}
.chart text{font-size:11px;fill:#334155}
.chart .code{font-size:12px;font-weight:700;fill:#0f172a}
.chart .entry{font-size:11px;fill:#475569}
.chart .bands rect{fill:#f8fafc}
.chart .stripe,.chart .bar{fill:var(--verdict)}
.chart .baseline{stroke:#cbd5e1;stroke-width:1}
.chart .grid line{stroke:#e2e8f0;stroke-width:1}
.chart .scale-tick{stroke:#64748b;stroke-width:1}
.chart .scale{font-variant-numeric:tabular-nums;fill:#0f172a}
.chart .verdict{fill:var(--verdict);font-weight:600}
.chart .none{fill:#64748b;font-style:italic}
.chart .tick{fill:#475569}
table{border-collapse:collapse;width:100%}
table.codes{table-layout:fixed}
table.skipped{width:auto;min-width:320px}
th,td{border-bottom:1px solid #e2e8f0;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{font-size:12.5px;font-weight:600;color:#475569;border-bottom:2px solid #cbd5e1}
td{font-size:13px}
.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict-label{display:inline-flex;align-items:center;gap:6px;font-weight:600;color:var(--verdict)}
ul.sites,ul.importers{margin:0;padding:0;list-style:none}
ul.sites li{display:grid;grid-template-columns:3.2em 1fr;gap:8px;margin-bottom:3px}
ul.sites li .num{color:#475569}
ul.importers li{margin-top:2px}
footer{margin-top:28px;color:#64748b;font-size:12px}
`
  .trim()
  .replace(/\n/g, '');

/**
 * The report as one HTML page that needs nothing else: open it from disk, mail it, archive it.
 * Renders any model, empty or hostile: every string of it is escaped, no script is emitted, and
 * the Content-Security-Policy refuses scripts, frames, fonts and every fetch should one slip in.
 */
export function renderHtml(model: ReportModel): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>unified-ws deprecation report: ${count(model.summary['safe-to-remove'] ?? 0)} of ${count(model.summary.total ?? model.codes.length)} shims removable</title>
<style>${CSS}</style></head>
<body>
<header><h1>Deprecated entry points: what can go</h1>
<p class="headline">${summary(model)}</p>
${caveats(model)}
<p>${windowLine(model)}</p>
<p class="note">${options(model)}</p></header>
<section><h2>Calls per day</h2>
${chart(model)}</section>
<section><h2>Codes</h2>
${table(model)}</section>
${unknownCodes(model)}
${unparsedFiles(model)}
<section><h2>Skipped lines</h2>
${skipped(model)}</section>
<footer>Dates and times in UTC · generated <time>${escapeHtml(model.generated)}</time> by unified-ws report</footer>
</body></html>
`;
}
