import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { entryPointOf } from '../manifest/render';
import { loadManifest } from '../manifest/load';
import { aggregateTelemetry } from '../telemetry/aggregate';
import { renderHtml } from '../telemetry/html';
import { findImporters } from '../telemetry/importers';
import type { ReportModel } from '../telemetry/model';
import { forTerminal } from '../telemetry/terminal';
import { buildReport, duration, observedMs, summaryLine } from '../telemetry/verdicts';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse } from './parse';

const usage = `Usage: unified-ws report <files or directories…> [--min-days N] [--quiet-days N] [--repo path]… [--html file] [--manifest file] [--json]

Aggregates JSON-lines deprecation telemetry from many processes and hosts: calls per code,
distinct call sites, first and last seen, top call sites, and a verdict per shim:
  in use            called within the last --quiet-days (default 14)
  quiet since …     called, but not within --quiet-days
  safe to remove    no call while the telemetry watched for at least --min-days (default 7;
                    the sink's observation lines count processes that used no legacy code),
                    and no repository given with --repo imports it
  still imported    no call, but a --repo file still imports it (the scan of check: type-only
                    imports, import() types, mocks and re-exports too)
  not enough data   no call, but the telemetry covers less than --min-days, or a line naming
                    the code was skipped
A summary comes first, with the time the telemetry covers, its hosts and processes. Every field
is validated; a bad line is skipped and counted by reason, and control and bidi characters in
the strings kept are replaced by U+FFFD (and escaped again on the terminal). Codes the manifest
does not know are listed. --html writes one self-contained page; --json prints the same model.

Exit codes: 0 report written, 2 usage or input error (no such file, no telemetry at all).`;

/** A non-negative number of days from a flag, or a usage error. */
function days(value: unknown, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(n) || n < 0)
    throw new ExitError(EXIT.USAGE, `${flag} must be a number of days (0 or more), not "${value}"`);
  return n;
}

export const report: Command = {
  summary:
    'aggregate deprecation telemetry: what is still used, and which shims are safe to remove',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        'min-days': { type: 'string' },
        'quiet-days': { type: 'string' },
        repo: { type: 'string', multiple: true },
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
    const minDays = days(values['min-days'], 7, '--min-days');
    // `repo` is the one `multiple` option: parseArgs gives it as an array.
    const repositories = (values.repo as unknown as string[] | undefined) ?? [];
    for (const repository of repositories) directoryArgument(repository);
    for (const path of positionals)
      if (!existsSync(resolve(path)))
        throw new ExitError(EXIT.USAGE, `${path}: no such file or directory`);

    const { manifest: manifestPath } = manifestOption(values);
    const manifest = loadManifest(manifestPath);
    const codes = manifest.entries.map((e) => ({
      code: e.code,
      entryPoint: entryPointOf(manifest, e),
    }));
    const now = Date.now();
    const aggregate = aggregateTelemetry(positionals, now);
    if (aggregate.lines === 0) {
      const skipped = Object.values(aggregate.skipped).reduce((a, b) => a + b, 0);
      throw new ExitError(
        EXIT.USAGE,
        `no telemetry lines in ${positionals.join(', ')}${skipped ? ` (${count(skipped, 'line')} skipped: ${reasons(aggregate.skipped)})` : ''}`,
      );
    }
    const imports = repositories.length > 0 ? findImporters(repositories, manifestPath) : undefined;
    const model = buildReport(aggregate, codes, imports, { minDays, quietDays, repositories }, now);
    if (values.html) writeFileSync(resolve(String(values.html)), renderHtml(model));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
      return EXIT.OK;
    }
    // With a team's manifest, unified-ws's own codes are "unknown" to it: say whose they are.
    const builtin =
      manifestPath === undefined
        ? new Set<string>()
        : new Set(loadManifest(undefined).entries.map((e) => e.code));
    io.stdout.write(text(model, imports?.scanned, builtin));
    if (values.html) io.stdout.write(`\nwrote ${forTerminal(values.html)}\n`);
    return EXIT.OK;
  },
};

/** "2 not JSON, 1 bad timestamp": skipped lines by reason, the most frequent first. */
function reasons(skipped: Record<string, number>): string {
  return Object.entries(skipped)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
}

/** A timestamp to the second, for the window line. */
const second = (iso: string | undefined) => (iso ?? '—').replace(/\.\d+Z$/, 'Z');

/** The report as terminal text: every string from telemetry or a repository through forTerminal. */
function text(model: ReportModel, scanned: number | undefined, builtin: Set<string>): string {
  const t = forTerminal;
  const out: string[] = [summaryLine(model)];
  const { window } = model;
  const hosts = window.hosts.slice(0, 5).map(t).join(', ');
  out.push(
    `observed ${second(window.from)} → ${second(window.to)} (${duration(observedMs(window))}) on ${count(window.hosts.length, 'host')}${hosts ? ` (${hosts}${window.hosts.length > 5 ? ', …' : ''})` : ''}, ${count(window.processes, 'process', 'processes')}`,
  );
  const skipped = Object.values(model.skipped).reduce((a, b) => a + b, 0);
  out.push(
    `${count(model.lines, 'telemetry line')}${skipped ? `, ${count(skipped, 'line')} skipped: ${reasons(model.skipped)}` : ''}`,
  );
  if (model.options.repositories.length > 0)
    out.push(
      `imports searched in ${model.options.repositories.map(t).join(', ')} (${count(scanned ?? 0, 'file')})`,
    );
  const unparsed = model.unparsed ?? [];
  if (unparsed.length > 0)
    out.push(
      `${count(unparsed.length, 'file')} naming legacy modules did not parse: ${unparsed.slice(0, 5).map(t).join(', ')}${unparsed.length > 5 ? ', …' : ''}`,
    );
  const unknown = model.unknown ?? [];
  if (unknown.length > 0) {
    const ours = unknown.filter((u) => builtin.has(u.code)).length;
    out.push(
      `${count(unknown.length, 'code')} in the telemetry ${unknown.length === 1 ? 'is' : 'are'} not in the manifest${ours ? ` (${ours === unknown.length ? (ours === 1 ? 'it is' : 'all are') : `${ours} are`} unified-ws's own: report them without --manifest)` : ''}: ${unknown
        .slice(0, 10)
        .map((u) => `${t(u.code)} (${count(u.calls, 'call')})`)
        .join(', ')}${unknown.length > 10 ? ', …' : ''}`,
    );
  }

  const width = Math.max(8, ...model.codes.map((c) => c.code.length + 2));
  out.push(
    '',
    `${'code'.padEnd(width)}${'calls'.padStart(10)}${'sites'.padStart(7)}  ${'last seen'.padEnd(25)}verdict`,
  );
  for (const c of model.codes) {
    out.push(
      `${t(c.code).padEnd(width)}${String(c.calls).padStart(10)}${String(c.sites).padStart(7)}  ${t(c.lastSeen ?? '—').padEnd(25)}${t(c.reason)}`,
    );
    for (const site of c.topSites.slice(0, 3))
      out.push(`${''.padEnd(10)}${t(site.site)} (${site.calls})`);
    if (c.verdict === 'still-imported')
      for (const file of c.importers) out.push(`${''.padEnd(10)}${t(file)}`);
  }
  return `${out.join('\n')}\n`;
}
