// The tables of the HTML report: the codes and their verdicts, the codes the manifest does not
// know, the files that did not parse, and the skipped lines.

import type { CodeModel, ReportModel, UnknownCode } from './model';
import { cleanText, escapeHtml, pathHtml } from './html-escape';
import { compact, count, plural, when } from './html-format';
import { style } from './html-verdicts';

/**
 * The model's later, optional fields, read through this view so that a model without them (an
 * older producer, a test's) renders as well: what the telemetry named that the manifest does not,
 * the files that did not parse, and the skipped lines that named a code.
 */
export type Extended = ReportModel & {
  unknown?: UnknownCode[];
  unparsed?: string[];
  codes: (CodeModel & { skippedLines?: number })[];
};

export function table(model: ReportModel): string {
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
      `<td class="num">${code.callsOverflow ? 'over 9e15' : count(code.calls)}</td>` +
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
export function unknownCodes(model: Extended): string {
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
    `<p class="note">The telemetry names ${plural(unknown.length, 'code')} that the manifest given does not know: another manifest's (unified-ws's own, when the report reads a team's manifest: report them without --manifest), a newer version's, or a typo. They are counted here only.</p>` +
    `<table class="codes unknown"><colgroup><col style="width:12%"><col style="width:40%"><col style="width:11%"><col style="width:9%"><col style="width:9%"><col></colgroup>` +
    `<thead><tr><th>code</th><th>entry point</th><th class="num">calls</th><th class="num">lines</th><th class="num">hosts</th><th>last seen</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** Files that name a legacy module but did not parse: while there is one, nothing is removable. */
export function unparsedFiles(model: Extended): string {
  const unparsed = model.unparsed ?? [];
  if (unparsed.length === 0) return '';
  return (
    `<section><h2>Files that did not parse</h2>` +
    `<p class="warning">${plural(unparsed.length, 'file')} of the repositories ${unparsed.length === 1 ? 'names' : 'name'} a legacy module but did not parse: what ${unparsed.length === 1 ? 'it imports' : 'they import'} is unknown, so no code is called safe to remove while there is one.</p>` +
    `<ul class="files">${unparsed.map((file) => `<li><code>${pathHtml(file)}</code></li>`).join('')}</ul></section>`
  );
}

export function skipped(model: ReportModel): string {
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
