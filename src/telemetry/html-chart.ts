// The chart of the HTML report: calls per day, one row per code, each on its own scale, on a shared
// date axis (its ticks above and below), the colour of each row its verdict's.

import type { CodeModel, ReportModel } from './model';
import { cleanText, escapeHtml } from './html-escape';
import { compact, count, DAY, dayOf, isoDay, plural, truncate } from './html-format';
import { style, VERDICT_ORDER, VERDICTS } from './html-verdicts';

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

export function chart(model: ReportModel): string {
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
