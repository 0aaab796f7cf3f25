import { accessSync, constants, existsSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { entryPointOf } from '../manifest/render';
import { loadManifest } from '../manifest/load';
import { aggregateTelemetry, HOSTS_LISTED } from '../telemetry/aggregate';
import { renderHtml } from '../telemetry/html';
import { findImporters } from '../telemetry/importers';
import type { ReportModel } from '../telemetry/model';
import { telemetryFiles } from '../telemetry/read';
import { forTerminal } from '../telemetry/terminal';
import { buildReport, callsText, observedText, summaryLine } from '../telemetry/verdicts';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse } from './parse';

const usage = `Usage: unified-ws report <files or directories…> [--min-days N] [--quiet-days N] [--repo path]… [--html file] [--manifest file] [--ignore-unreadable] [--json]

Aggregates JSON-lines deprecation telemetry from many processes and hosts: calls per code,
distinct call sites, first and last seen, top call sites, and a verdict per shim:
  in use            called within the last --quiet-days (default 14)
  quiet since …     called, but not within --quiet-days
  safe to remove    no call while the telemetry watched for at least --min-days (default 7;
                    the sink's observation lines count processes that used no legacy code),
                    and no repository given with --repo imports it
  still imported    no call, but a --repo file still imports it (the scan of check: type-only
                    imports, import() types, mocks and re-exports too)
  not enough data   no call, but the telemetry observed less than --min-days, or a skipped line
                    names the code, or a skipped line names no code at all
The time observed is the union of the processes' observation and use intervals: gaps between
them do not count. A skipped line names a code when its code was valid, or when its first 4 KiB
read "code":"…" (a torn or over-long line); a skipped line that names none (and is not an
observation line) could have been a use of any code, so while there is one no shim is safe to
remove — unless --ignore-unreadable. A line's count above 10^12 is a bad count; sums past
2^53 − 1 read "over 9e15".
A summary comes first, with the time the telemetry covers, its hosts and processes. Every field
is validated; a bad line is skipped and counted by reason, and control and bidi characters in
the strings kept are replaced by U+FFFD (and escaped again on the terminal; strings are cut to
80 characters there, --json has them whole). Codes the manifest does not know are listed.
--html writes one self-contained page (not over the telemetry read); --json prints the same
model, its hosts the first ${HOSTS_LISTED} in natural order (window.hostCount counts all).

Exit codes: 0 report written, 2 usage or input error (no such file, no telemetry at all).`;

/**
 * The arguments with `--min-days -1` written `--min-days=-1`: parseArgs takes a value that starts
 * with a dash for an option ("argument is ambiguous"), and a negative number deserves the
 * flag's own message. Only a number-like value is joined; `--min-days --json` stays an error.
 */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (
      (arg === '--min-days' || arg === '--quiet-days') &&
      next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** The real path of a file that may not exist yet (its directory's real path and its name). */
function realTarget(path: string): string {
  const full = resolve(path);
  return existsSync(full) ? realpathSync(full) : join(realpathSync(dirname(full)), basename(full));
}

/**
 * The --html path, refused when the page cannot be written there, or would be written over the
 * telemetry: one of the files read, or a *.jsonl / *.ndjson in a directory read (compared by real
 * path, so a symlink or `./` changes nothing).
 */
function htmlTarget(html: string, inputs: readonly string[]): string {
  const full = resolve(html);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ExitError(EXIT.USAGE, `--html ${html}: no such directory ${dir}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ExitError(EXIT.USAGE, `--html ${html}: directory ${dir} is not writable`);
  }
  if (existsSync(full) && statSync(full).isDirectory())
    throw new ExitError(EXIT.USAGE, `--html ${html}: is a directory`);
  const target = realTarget(full);
  const read = new Set(telemetryFiles(inputs).map((file) => realTarget(file)));
  const readDirs = new Set(
    inputs.map((input) => realTarget(input)).filter((input) => statSync(input).isDirectory()),
  );
  const telemetryName = target.endsWith('.jsonl') || target.endsWith('.ndjson');
  if (read.has(target) || (telemetryName && readDirs.has(dirname(target))))
    throw new ExitError(
      EXIT.USAGE,
      `--html ${html}: that is telemetry the report reads; name another file for the page`,
    );
  return full;
}

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
      joinNegativeNumbers(argv),
      {
        'min-days': { type: 'string' },
        'quiet-days': { type: 'string' },
        repo: { type: 'string', multiple: true },
        html: { type: 'string' },
        ...MANIFEST_OPTION,
        'ignore-unreadable': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      'report',
    );
    if (positionals.length === 0)
      throw new ExitError(EXIT.USAGE, `name telemetry files or directories\n\n${usage}`);
    const quietDays = values['quiet-days'] === undefined ? 14 : Number(values['quiet-days']);
    if (!Number.isInteger(quietDays) || quietDays < 0)
      throw new ExitError(
        EXIT.USAGE,
        `--quiet-days must be a whole number of days (0 or more), not "${values['quiet-days']}"`,
      );
    const minDays = days(values['min-days'], 7, '--min-days');
    // `repo` is the one `multiple` option: parseArgs gives it as an array.
    const repositories = (values.repo as unknown as string[] | undefined) ?? [];
    for (const repository of repositories) directoryArgument(repository);
    for (const path of positionals)
      if (!existsSync(resolve(path)))
        throw new ExitError(EXIT.USAGE, `${path}: no such file or directory`);
    const html =
      values.html === undefined ? undefined : htmlTarget(String(values.html), positionals);

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
    const ignoreUnreadable = values['ignore-unreadable'] === true;
    const model = buildReport(
      aggregate,
      codes,
      imports,
      { minDays, quietDays, repositories, ignoreUnreadable },
      now,
    );
    if (html !== undefined)
      try {
        writeFileSync(html, renderHtml(model));
      } catch (error) {
        throw new ExitError(
          EXIT.USAGE,
          `--html ${String(values.html)}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
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

/** How many characters of a string from telemetry the text shows (--json has it whole). */
const SHOWN = 80;

/** The string cut to SHOWN code points, with an ellipsis. */
function cut(value: unknown): string {
  const chars = Array.from(String(value ?? ''));
  return chars.length <= SHOWN ? chars.join('') : `${chars.slice(0, SHOWN - 1).join('')}…`;
}

/** Calls as the text shows them: "over 9e15" once the sum passed 2^53 − 1. */

/**
 * The report as terminal text: every string from telemetry or a repository through forTerminal,
 * cut to SHOWN characters.
 */
function text(model: ReportModel, scanned: number | undefined, builtin: Set<string>): string {
  const t = (value: unknown) => forTerminal(cut(value));
  const out: string[] = [summaryLine(model)];
  const { window } = model;
  const hostCount = window.hostCount ?? window.hosts.length;
  const hosts = window.hosts.slice(0, 5).map(t).join(', ');
  out.push(
    `observed ${second(window.from)} → ${second(window.to)} (${observedText(window)}) on ${count(hostCount, 'host')}${hosts ? ` (${hosts}${hostCount > 5 ? ', …' : ''})` : ''}, ${count(window.processes, 'process', 'processes')}`,
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
  if ((model.unattributed ?? 0) > 0)
    out.push(
      `${count(model.unattributed ?? 0, 'skipped line')} ${model.unattributed === 1 ? 'names' : 'name'} no code${model.options.ignoreUnreadable ? ' (ignored: --ignore-unreadable)' : ': no shim is safe to remove while any could have been a use (--ignore-unreadable to judge without them)'}`,
    );
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
        .map(
          (u) => `${t(u.code)} (${u.callsOverflow ? 'over 9e15 calls' : count(u.calls, 'call')})`,
        )
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
      `${t(c.code).padEnd(width)}${callsText(c).padStart(10)}${String(c.sites).padStart(7)}  ${t(c.lastSeen ?? '—').padEnd(25)}${forTerminal(c.reason)}`,
    );
    const shown = c.topSites.slice(0, 3);
    for (const site of shown)
      out.push(
        `${''.padEnd(10)}${t(site.site)} (${site.calls >= Number.MAX_SAFE_INTEGER ? 'over 9e15' : site.calls})`,
      );
    if (c.sites > shown.length) out.push(`${''.padEnd(10)}+${c.sites - shown.length} more`);
    if (c.verdict === 'still-imported')
      for (const file of c.importers) out.push(`${''.padEnd(10)}${t(file)}`);
  }
  return `${out.join('\n')}\n`;
}
