// The sums of many processes' telemetry: per code (calls, call sites, first and last seen, hosts,
// calls per day), the time the telemetry covers, and the lines skipped by reason.

import { eachLine, parseLine, telemetryFiles, type UseRecord } from './read';

export interface CodeTotals {
  code: string;
  /** The entry point the telemetry gave (for a code the manifest does not know). */
  entryPoint: string;
  calls: number;
  lines: number;
  sites: Map<string, number>;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  hosts: Set<string>;
  /** Calls per UTC day of lastSeen. */
  days: Record<string, number>;
}

export interface Aggregate {
  byCode: Map<string, CodeTotals>;
  window: { from: string | undefined; to: string | undefined; hosts: string[]; processes: number };
  /** Valid lines (uses and observations). */
  lines: number;
  skipped: Record<string, number>;
  /** Skipped lines whose code was valid, by code: a use the report cannot count. */
  skippedByCode: Map<string, number>;
}

/** Reads every line of the files and directories named (see telemetryFiles) and sums them. */
export function aggregateTelemetry(paths: readonly string[], now = Date.now()): Aggregate {
  const byCode = new Map<string, CodeTotals>();
  const skipped: Record<string, number> = {};
  const skippedByCode = new Map<string, number>();
  const hosts = new Set<string>();
  const processes = new Set<string>();
  let from: string | undefined;
  let to: string | undefined;
  let lines = 0;
  const skip = (reason: string, code?: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    if (code !== undefined) skippedByCode.set(code, (skippedByCode.get(code) ?? 0) + 1);
  };
  for (const file of telemetryFiles(paths)) {
    eachLine(file, (text) => {
      if (text === undefined) return skip('line too long');
      const record = parseLine(text, now);
      if (!('kind' in record)) return skip(record.reason, record.code);
      lines++;
      hosts.add(record.host);
      processes.add(`${record.host}\u0000${record.pid}`);
      const [start, end] =
        record.kind === 'observation'
          ? [record.from, record.to]
          : [record.firstSeen, record.lastSeen];
      if (from === undefined || start < from) from = start;
      if (to === undefined || end > to) to = end;
      if (record.kind === 'use') add(byCode, record);
    });
  }
  return {
    byCode,
    window: { from, to, hosts: [...hosts].sort(), processes: processes.size },
    lines,
    skipped,
    skippedByCode,
  };
}

function add(byCode: Map<string, CodeTotals>, use: UseRecord): void {
  let totals = byCode.get(use.code);
  if (!totals) {
    totals = {
      code: use.code,
      entryPoint: use.entryPoint,
      calls: 0,
      lines: 0,
      sites: new Map(),
      firstSeen: undefined,
      lastSeen: undefined,
      hosts: new Set(),
      days: {},
    };
    byCode.set(use.code, totals);
  }
  totals.lines++;
  if (use.count === 0) return; // a line with no use says nothing about the code
  totals.calls += use.count;
  totals.sites.set(use.site, (totals.sites.get(use.site) ?? 0) + use.count);
  if (totals.firstSeen === undefined || use.firstSeen < totals.firstSeen)
    totals.firstSeen = use.firstSeen;
  if (totals.lastSeen === undefined || use.lastSeen > totals.lastSeen)
    totals.lastSeen = use.lastSeen;
  totals.hosts.add(use.host);
  const day = use.lastSeen.slice(0, 10);
  totals.days[day] = (totals.days[day] ?? 0) + use.count;
}
