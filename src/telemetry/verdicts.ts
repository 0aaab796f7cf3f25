// The verdict per shim. "Safe to remove" is a claim that deleting it breaks nothing, so it needs
// evidence of absence: the telemetry watched for at least --min-days without one call, no line
// naming the code was unreadable, and no repository given still imports it — types included.

import { naturalCompare, type Aggregate } from './aggregate';
import type { RepositoryImports } from './importers';
import type { CodeModel, ReportModel, Verdict } from './model';

const DAY = 86_400_000;
/** How many importing files a code lists (the reason gives the total). */
const IMPORTERS_SHOWN = 5;

export interface VerdictOptions {
  /** The telemetry must cover this many days for a code never called to be safe to remove. */
  minDays: number;
  /** A code called, but not within this many days, is quiet. */
  quietDays: number;
  /** The repositories searched for imports, as given. */
  repositories: string[];
  /** Lines that name no code (Aggregate.unattributed) do not hold back "safe to remove". */
  ignoreUnreadable?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A duration as a person reads it, never rounded up: 0.4 s, 15 s, 12 min, 5 h, 6.9 days. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 10) return `${Math.max(0, Math.floor(ms / 100)) / 10} s`;
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 120 * 60) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h`;
  return plural(Math.floor(ms / (DAY / 10)) / 10, 'day');
}

/** The time between the window's ends, in ms (0 without telemetry). */
export function spanMs(window: ReportModel['window']): number {
  return window.from === undefined || window.to === undefined
    ? 0
    : Date.parse(window.to) - Date.parse(window.from);
}

/**
 * The time observed, in ms: the union of the intervals observed (window.observedMs), without
 * its gaps; the span between the ends for a model that has no observedMs.
 */
export function observedMs(window: ReportModel['window']): number {
  return window.observedMs ?? spanMs(window);
}

/** A call site `file:line:column` as a sort key (a site of another shape: line and column -1). */
function siteKey(site: string): [string, number, number] {
  const match = /^(.*):(\d+):(\d+)$/.exec(site);
  return match ? [match[1] as string, Number(match[2]), Number(match[3])] : [site, -1, -1];
}

/** Most calls first; equal counts by file (natural order), then line, then column. */
export function compareSites(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  const [fileA, lineA, columnA] = siteKey(a[0]);
  const [fileB, lineB, columnB] = siteKey(b[0]);
  return (
    naturalCompare(fileA, fileB) || lineA - lineB || columnA - columnB || naturalCompare(a[0], b[0])
  );
}

/** The report's model: a verdict for each code of the manifest, in the manifest's order. */
export function buildReport(
  aggregate: Aggregate,
  codes: readonly { code: string; entryPoint: string }[],
  imports: RepositoryImports | undefined,
  options: VerdictOptions,
  now = Date.now(),
): ReportModel {
  const observed = observedMs(aggregate.window);
  const enough = observed >= options.minDays * DAY;
  const quietSince = now - options.quietDays * DAY;
  const unparsed = imports?.unparsed ?? [];
  const unattributed = aggregate.unattributed;
  const unreadable = unattributed > 0 && options.ignoreUnreadable !== true;

  const models = codes.map(({ code, entryPoint }): CodeModel => {
    const totals = aggregate.byCode.get(code);
    const calls = totals?.calls ?? 0;
    const importers = imports?.byCode.get(code) ?? [];
    const skippedLines = aggregate.skippedByCode.get(code) ?? 0;
    const judge = (): [Verdict, string, string[]] => {
      const lastSeen = totals?.lastSeen;
      if (calls > 0 && lastSeen !== undefined)
        return Date.parse(lastSeen) < quietSince
          ? ['quiet', `quiet since ${lastSeen.slice(0, 10)}`, importers]
          : ['in-use', 'in use', importers];
      if (importers.length > 0)
        return [
          'still-imported',
          `still imported by ${plural(importers.length, 'file')}`,
          importers.slice(0, IMPORTERS_SHOWN),
        ];
      if (unparsed.length > 0)
        return [
          'still-imported',
          `maybe still imported: ${plural(unparsed.length, 'file')} naming legacy modules ${unparsed.length === 1 ? 'does' : 'do'} not parse`,
          unparsed.slice(0, IMPORTERS_SHOWN),
        ];
      if (skippedLines > 0)
        return [
          'not-enough-data',
          `not enough data (unreadable telemetry names it: ${plural(skippedLines, 'skipped line')})`,
          [],
        ];
      if (unreadable)
        return [
          'not-enough-data',
          `not enough data (${plural(unattributed, 'unreadable line')} ${unattributed === 1 ? 'names' : 'name'} no code; --ignore-unreadable to judge without ${unattributed === 1 ? 'it' : 'them'})`,
          [],
        ];
      if (!enough)
        return [
          'not-enough-data',
          `not enough data (observed ${duration(observed)} of ${plural(options.minDays, 'day')})`,
          [],
        ];
      return ['safe-to-remove', 'safe to remove', []];
    };
    const [verdict, reason, shown] = judge();
    return {
      code,
      entryPoint,
      calls,
      ...(totals?.overflow ? { callsOverflow: true } : {}),
      sites: totals?.sites.size ?? 0,
      firstSeen: totals?.firstSeen,
      lastSeen: totals?.lastSeen,
      hosts: totals?.hosts.size ?? 0,
      verdict,
      reason,
      importers: shown.slice(0, IMPORTERS_SHOWN),
      days: totals?.days ?? {},
      topSites: [...(totals?.sites ?? [])]
        .sort(compareSites)
        .slice(0, 5)
        .map(([site, n]) => ({ site, calls: n })),
      skippedLines,
    };
  });

  const known = new Set(codes.map((c) => c.code));
  const unknown = [...aggregate.byCode.values()]
    .filter((totals) => !known.has(totals.code))
    .sort((a, b) => b.calls - a.calls || (a.code < b.code ? -1 : 1))
    .map((totals) => ({
      code: totals.code,
      entryPoint: totals.entryPoint,
      calls: totals.calls,
      ...(totals.overflow ? { callsOverflow: true } : {}),
      lines: totals.lines,
      lastSeen: totals.lastSeen,
      hosts: totals.hosts.size,
    }));

  const summary: ReportModel['summary'] = {
    'safe-to-remove': 0,
    'in-use': 0,
    quiet: 0,
    'still-imported': 0,
    'not-enough-data': 0,
    total: models.length,
  };
  for (const model of models) summary[model.verdict]++;

  return {
    generated: new Date(now).toISOString(),
    window: aggregate.window,
    summary,
    codes: models,
    lines: aggregate.lines,
    skipped: aggregate.skipped,
    options: {
      minDays: options.minDays,
      quietDays: options.quietDays,
      repositories: options.repositories,
      ignoreUnreadable: options.ignoreUnreadable === true,
    },
    unknown,
    unparsed,
    unattributed,
  };
}

/** "14 of 20 shims removable · 2 in use · 4 need more data": the first line of the report. */
export function summaryLine(model: ReportModel): string {
  const s = model.summary;
  const parts = [
    `${s['safe-to-remove']} of ${plural(s.total, 'shim')} removable`,
    s['in-use'] ? `${s['in-use']} in use` : '',
    s.quiet ? `${s.quiet} quiet` : '',
    s['still-imported'] ? `${s['still-imported']} still imported` : '',
    s['not-enough-data'] ? `${s['not-enough-data']} need more data` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** A code's calls as text: "over 9e15" once the sum stopped being exact. */
export const callsText = (c: { calls: number; callsOverflow?: boolean }) =>
  c.callsOverflow ? 'over 9e15' : String(c.calls);

/** The window's length: "89.9 days", or "2 s of the 90-day window observed" when there are gaps. */
export function observedText(window: ReportModel['window']): string {
  const observed = observedMs(window);
  const span = spanMs(window);
  if (observed >= span) return duration(span);
  const length = duration(span);
  return `${duration(observed)} of the ${length.endsWith(' days') ? `${length.slice(0, -5)}-day` : length} window observed`;
}
