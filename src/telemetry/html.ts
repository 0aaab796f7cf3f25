// The report as one self-contained HTML page: the summary, a chart of calls per day (one row per
// code, each on its own scale, on a shared date axis), the table of verdicts, the skipped lines.
// No script, no external URL, and a Content-Security-Policy that allows neither; every string of
// the model came from telemetry that many hosts wrote, so each one goes through `escapeHtml`.

import type { ReportModel } from './model';
import { chart } from './html-chart';
import { escapeHtml, pathHtml } from './html-escape';
import { count, plural, when } from './html-format';
import { skipped, table, unknownCodes, unparsedFiles, type Extended } from './html-tables';
import { VERDICT_ORDER, VERDICTS } from './html-verdicts';
import { observedText } from './verdicts';

export { cleanText, escapeHtml } from './html-escape';

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
  // The same duration as the text report and the verdicts: the time observed, gaps left out.
  const hostCount = model.window.hostCount ?? hosts.length;
  const shown = hosts.slice(0, 12).map((host) => `<code>${pathHtml(host)}</code>`);
  if (hostCount > shown.length) shown.push(`and ${count(hostCount - shown.length)} more`);
  return (
    `Observed from <time>${escapeHtml(when(from))}</time> to <time>${escapeHtml(when(to))}</time> UTC (${escapeHtml(observedText(model.window))}), ` +
    `by ${plural(processes, 'process', 'processes')} on ${plural(hostCount, 'host')}` +
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

/** The line under the summary when something keeps codes from being called removable. */
function caveats(model: Extended): string {
  const notes: string[] = [];
  const unparsed = model.unparsed?.length ?? 0;
  if (unparsed > 0) notes.push(`${plural(unparsed, 'file')} did not parse`);
  const unknown = model.unknown?.length ?? 0;
  if (unknown > 0) notes.push(`${plural(unknown, 'code')} not in the manifest`);
  return notes.length === 0 ? '' : `<p class="warning">Also: ${notes.join(' · ')} (below).</p>`;
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
<title>unified-ws deprecation report: ${count(model.summary['safe-to-remove'] ?? 0)} of ${plural(model.summary.total ?? model.codes.length, 'shim')} removable</title>
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
