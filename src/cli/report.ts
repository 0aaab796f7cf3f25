import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TelemetryLine } from '../deprecation/jsonl-sink';
import { entryPointOf } from '../manifest/render';
import { loadManifest } from '../manifest/load';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { MANIFEST_OPTION, manifestOption, parse } from './parse';

const usage = `Usage: unified-ws report <files or directories…> [--quiet-days N] [--html file] [--manifest file] [--json]

Aggregates JSON-lines deprecation telemetry from many processes and hosts: calls per code,
distinct call sites, first and last seen, top call sites, and a verdict per shim — in use, quiet
since a date (no call for --quiet-days, default 14), or safe to remove (never called in the
telemetry given). Malformed lines are skipped and counted. --html writes one self-contained page
with a chart of calls per code over time.

Exit codes: 0 report written, 2 usage or input error (no such file, no telemetry at all).`;

export interface CodeReport {
  code: string;
  entryPoint: string;
  calls: number;
  sites: number;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  topSites: { site: string; calls: number }[];
  hosts: number;
  verdict: 'in use' | 'quiet' | 'safe to remove';
  /** Calls per day (YYYY-MM-DD), for the chart. */
  days: Record<string, number>;
}

function telemetryFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolve(path);
    if (!existsSync(full)) throw new ExitError(EXIT.USAGE, `${path}: no such file or directory`);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort())
        if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) files.push(join(full, name));
    } else {
      files.push(full);
    }
  }
  return files;
}

function isLine(value: unknown): value is TelemetryLine {
  const line = value as Partial<TelemetryLine> | null;
  return (
    typeof line === 'object' &&
    line !== null &&
    typeof line.code === 'string' &&
    typeof line.site === 'string' &&
    typeof line.count === 'number' &&
    Number.isFinite(line.count) &&
    line.count >= 0 &&
    typeof line.lastSeen === 'string' &&
    !Number.isNaN(Date.parse(line.lastSeen)) &&
    typeof line.firstSeen === 'string' &&
    !Number.isNaN(Date.parse(line.firstSeen))
  );
}

/** Reads every line, sums the deltas, and judges each code of the manifest. */
export function aggregate(
  paths: readonly string[],
  codes: readonly { code: string; entryPoint: string }[],
  quietDays: number,
  now = Date.now(),
) {
  interface Totals {
    calls: number;
    sites: Map<string, number>;
    first?: string;
    last?: string;
    hosts: Set<string>;
    days: Record<string, number>;
  }
  const byCode = new Map<string, Totals>();
  let lines = 0;
  let malformed = 0;
  for (const file of telemetryFiles(paths)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        malformed++;
        continue;
      }
      if (!isLine(value)) {
        malformed++;
        continue;
      }
      lines++;
      const entry: Totals = byCode.get(value.code) ?? {
        calls: 0,
        sites: new Map(),
        hosts: new Set(),
        days: {},
      };
      entry.calls += value.count;
      entry.sites.set(value.site, (entry.sites.get(value.site) ?? 0) + value.count);
      if (!entry.first || value.firstSeen < entry.first) entry.first = value.firstSeen;
      if (!entry.last || value.lastSeen > entry.last) entry.last = value.lastSeen;
      entry.hosts.add(String(value.host));
      const day = value.lastSeen.slice(0, 10);
      entry.days[day] = (entry.days[day] ?? 0) + value.count;
      byCode.set(value.code, entry);
    }
  }
  const quietSince = now - quietDays * 86_400_000;
  const reports: CodeReport[] = codes.map(({ code, entryPoint }) => {
    const entry = byCode.get(code);
    if (!entry || entry.calls === 0)
      return {
        code,
        entryPoint,
        calls: 0,
        sites: 0,
        firstSeen: undefined,
        lastSeen: undefined,
        topSites: [],
        hosts: 0,
        verdict: 'safe to remove',
        days: {},
      };
    return {
      code,
      entryPoint,
      calls: entry.calls,
      sites: entry.sites.size,
      firstSeen: entry.first,
      lastSeen: entry.last,
      topSites: [...entry.sites]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([site, calls]) => ({ site, calls })),
      hosts: entry.hosts.size,
      verdict: Date.parse(entry.last ?? '') < quietSince ? 'quiet' : 'in use',
      days: entry.days,
    };
  });
  return { reports, lines, malformed };
}

function html(reports: CodeReport[], generated: string): string {
  const days = [...new Set(reports.flatMap((r) => Object.keys(r.days)))].sort();
  const max = Math.max(1, ...reports.flatMap((r) => Object.values(r.days)));
  const used = reports.filter((r) => r.calls > 0);
  const width = 40 + days.length * 24;
  const rowHeight = 22;
  const bars = used
    .map(
      (r, row) =>
        days
          .map((day, column) => {
            const value = r.days[day] ?? 0;
            const opacity = value === 0 ? 0.05 : 0.2 + (0.8 * value) / max;
            return `<rect x="${90 + column * 24}" y="${row * rowHeight}" width="20" height="18" fill="#2563eb" fill-opacity="${opacity.toFixed(2)}"><title>${r.code} ${day}: ${value} calls</title></rect>`;
          })
          .join('') + `<text x="0" y="${row * rowHeight + 13}" font-size="12">${r.code}</text>`,
    )
    .join('');
  const escape = (text: string) =>
    text.replace(
      /[&<>"]/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
    );
  const rows = reports
    .map(
      (r) =>
        `<tr><td>${r.code}</td><td><code>${escape(r.entryPoint)}</code></td><td>${r.calls}</td><td>${r.sites}</td><td>${r.lastSeen ?? '—'}</td><td class="${r.verdict.replace(/ /g, '-')}">${r.verdict}</td><td>${r.topSites.map((s) => `${escape(s.site)} (${s.calls})`).join('<br>')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>unified-ws deprecation report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}.in-use{color:#b91c1c}.quiet{color:#b45309}.safe-to-remove{color:#15803d}</style></head>
<body><h1>Deprecated entry points: what is still used</h1><p>Generated ${generated}.</p>
<h2>Calls per code per day</h2>
<svg width="${width + 90}" height="${Math.max(1, used.length) * rowHeight + 30}" role="img" aria-label="calls per code per day">${bars}${days.map((day, i) => `<text x="${90 + i * 24}" y="${used.length * rowHeight + 20}" font-size="8">${day.slice(5)}</text>`).join('')}</svg>
<h2>Verdicts</h2>
<table><tr><th>code</th><th>entry point</th><th>calls</th><th>call sites</th><th>last seen</th><th>verdict</th><th>top call sites</th></tr>
${rows}
</table></body></html>
`;
}

export const report: Command = {
  summary:
    'aggregate deprecation telemetry: what is still used, and which shims are safe to remove',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        'quiet-days': { type: 'string' },
        html: { type: 'string' },
        ...MANIFEST_OPTION,
        json: { type: 'boolean' },
      },
      'report',
    );
    if (positionals.length === 0)
      throw new ExitError(EXIT.USAGE, `name telemetry files or directories\n\n${usage}`);
    const quietDays = values['quiet-days'] === undefined ? 14 : Number(values['quiet-days']);
    if (!Number.isInteger(quietDays) || quietDays < 0)
      throw new ExitError(EXIT.USAGE, '--quiet-days must be a whole number of days');
    const manifest = loadManifest(manifestOption(values).manifest);
    const codes = manifest.entries.map((e) => ({
      code: e.code,
      entryPoint: entryPointOf(manifest, e),
    }));
    const { reports, lines, malformed } = aggregate(positionals, codes, quietDays);
    if (lines === 0)
      throw new ExitError(
        EXIT.USAGE,
        `no telemetry lines in ${positionals.join(', ')}${malformed ? ` (${malformed} malformed)` : ''}`,
      );
    if (values.html)
      writeFileSync(resolve(String(values.html)), html(reports, new Date().toISOString()));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ lines, malformed, codes: reports }, null, 2)}\n`);
      return EXIT.OK;
    }
    io.stdout.write(
      `${count(lines, 'telemetry line')}${malformed ? `, ${count(malformed, 'malformed line')} skipped` : ''}\n\n`,
    );
    io.stdout.write(
      `${'code'.padEnd(8)}${'calls'.padStart(10)}${'sites'.padStart(7)}  ${'last seen'.padEnd(25)}verdict\n`,
    );
    for (const r of reports) {
      const verdict = r.verdict === 'quiet' ? `quiet since ${r.lastSeen?.slice(0, 10)}` : r.verdict;
      io.stdout.write(
        `${r.code.padEnd(8)}${String(r.calls).padStart(10)}${String(r.sites).padStart(7)}  ${(r.lastSeen ?? '—').padEnd(25)}${verdict}\n`,
      );
      for (const site of r.topSites.slice(0, 3))
        io.stdout.write(`${''.padEnd(10)}${site.site} (${site.calls})\n`);
    }
    if (values.html) io.stdout.write(`\nwrote ${values.html}\n`);
    return EXIT.OK;
  },
};
