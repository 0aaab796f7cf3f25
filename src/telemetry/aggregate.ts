// The sums of many processes' telemetry: per code (calls, call sites, first and last seen, hosts,
// calls per day), the time the telemetry covers, and the lines skipped by reason.

import { eachLine, parseLine, recoverCodes, telemetryFiles, type UseRecord } from './read';

export interface CodeTotals {
  code: string;
  /** The entry point the telemetry gave (for a code the manifest does not know). */
  entryPoint: string;
  /** Exact while at most Number.MAX_SAFE_INTEGER; past that it stays there and `overflow` is set. */
  calls: number;
  /** The calls (or a site's or a day's) summed past Number.MAX_SAFE_INTEGER: "over 9e15". */
  overflow: boolean;
  lines: number;
  sites: Map<string, number>;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  hosts: Set<string>;
  /** Calls per UTC day of lastSeen. */
  days: Record<string, number>;
}

/** How many hosts the window lists (natural order); `hostCount` gives them all. */
export const HOSTS_LISTED = 100;

export interface Aggregate {
  byCode: Map<string, CodeTotals>;
  window: {
    from: string | undefined;
    to: string | undefined;
    /** The first HOSTS_LISTED hosts, in natural order (host-2 before host-10). */
    hosts: string[];
    /** Every host. */
    hostCount: number;
    processes: number;
    /** The total length of the union of the times observed (see aggregateTelemetry). */
    observedMs: number;
  };
  /** Valid lines (uses and observations). */
  lines: number;
  skipped: Record<string, number>;
  /**
   * Skipped lines that name a code, by code: the code when it was valid, else each code recovered
   * from the line (recoverCodes). A use the report cannot count.
   */
  skippedByCode: Map<string, number>;
  /**
   * Skipped lines that name no code and are not observation lines: each may have been a use of
   * any code.
   */
  unattributed: number;
}

/** Natural order: host-2 before host-10, then by code point (so the order is total). */
const collator = new Intl.Collator('en', { numeric: true });
export const naturalCompare = (a: string, b: string): number =>
  collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** a + b, saturating at Number.MAX_SAFE_INTEGER: [the sum, whether it saturated]. */
export function addExact(a: number, b: number): [number, boolean] {
  const sum = a + b;
  return sum > Number.MAX_SAFE_INTEGER ? [Number.MAX_SAFE_INTEGER, true] : [sum, false];
}

/**
 * Time intervals, merged: the union of [start, end] pairs in ms. Kept merged now and then, so
 * that a process that flushed a million times holds a few intervals, not a million.
 */
export class Intervals {
  private list: [number, number][] = [];
  private merged = 0;

  add(start: number, end: number): void {
    this.list.push([start, end]);
    if (this.list.length > 2 * this.merged + 1024) this.merge();
  }

  addAll(other: Intervals): void {
    for (const [start, end] of other.union()) this.add(start, end);
  }

  union(): [number, number][] {
    this.merge();
    return this.list;
  }

  /** The union's total length in ms. */
  length(): number {
    return this.union().reduce((sum, [start, end]) => sum + (end - start), 0);
  }

  private merge(): void {
    this.list.sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const [start, end] of this.list) {
      const last = out[out.length - 1];
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
      else out.push([start, end]);
    }
    this.list = out;
    this.merged = out.length;
  }
}

/**
 * Reads every line of the files and directories named (see telemetryFiles) and sums them. The
 * time observed is the union of every process's observation lines (from–to) and use lines
 * (firstSeen–lastSeen), merged per process (host and pid) and then over all: two one-second
 * observations 90 days apart observed two seconds, not 90 days.
 */
export function aggregateTelemetry(paths: readonly string[], now = Date.now()): Aggregate {
  const byCode = new Map<string, CodeTotals>();
  const skipped: Record<string, number> = {};
  const skippedByCode = new Map<string, number>();
  const hosts = new Set<string>();
  const processes = new Map<string, Intervals>();
  let from: string | undefined;
  let to: string | undefined;
  let lines = 0;
  let unattributed = 0;
  const skip = (reason: string, codes: readonly string[], observation = false) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    for (const code of codes) skippedByCode.set(code, (skippedByCode.get(code) ?? 0) + 1);
    if (codes.length === 0 && !observation) unattributed++;
  };
  for (const file of telemetryFiles(paths)) {
    eachLine(file, (text, head) => {
      if (text === undefined) return skip('line too long', recoverCodes(head ?? ''));
      const record = parseLine(text, now);
      if (!('kind' in record))
        return skip(
          record.reason,
          record.code !== undefined ? [record.code] : (record.named ?? []),
          record.observation,
        );
      lines++;
      hosts.add(record.host);
      const key = `${record.host}\u0000${record.pid}`;
      let observed = processes.get(key);
      if (!observed) processes.set(key, (observed = new Intervals()));
      const [start, end] =
        record.kind === 'observation'
          ? [record.from, record.to]
          : [record.firstSeen, record.lastSeen];
      observed.add(Date.parse(start), Date.parse(end));
      if (from === undefined || start < from) from = start;
      if (to === undefined || end > to) to = end;
      if (record.kind === 'use') add(byCode, record);
    });
  }
  const all = new Intervals();
  for (const observed of processes.values()) all.addAll(observed);
  const sorted = [...hosts].sort(naturalCompare);
  return {
    byCode,
    window: {
      from,
      to,
      hosts: sorted.slice(0, HOSTS_LISTED),
      hostCount: sorted.length,
      processes: processes.size,
      observedMs: all.length(),
    },
    lines,
    skipped,
    skippedByCode,
    unattributed,
  };
}

function add(byCode: Map<string, CodeTotals>, use: UseRecord): void {
  let totals = byCode.get(use.code);
  if (!totals) {
    totals = {
      code: use.code,
      entryPoint: use.entryPoint,
      calls: 0,
      overflow: false,
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
  const sum = (a: number | undefined) => {
    const [total, over] = addExact(a ?? 0, use.count);
    if (over) totals.overflow = true;
    return total;
  };
  totals.calls = sum(totals.calls);
  totals.sites.set(use.site, sum(totals.sites.get(use.site)));
  if (totals.firstSeen === undefined || use.firstSeen < totals.firstSeen)
    totals.firstSeen = use.firstSeen;
  if (totals.lastSeen === undefined || use.lastSeen > totals.lastSeen)
    totals.lastSeen = use.lastSeen;
  totals.hosts.add(use.host);
  const day = use.lastSeen.slice(0, 10);
  totals.days[day] = sum(totals.days[day]);
}
