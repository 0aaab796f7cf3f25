// What `unified-ws report` knows after reading telemetry: the model the text, JSON and HTML views
// render. Every string in it came from telemetry files written by many hosts: validated when read,
// and escaped by each view.

/** Why a shim can or cannot be deleted yet. */
export type Verdict =
  /** Called within the last --quiet-days. */
  | 'in-use'
  /** Called, but not within the last --quiet-days. */
  | 'quiet'
  /** Observed for at least --min-days with no call, and no given repository imports it. */
  | 'safe-to-remove'
  /** No call observed, but a repository given with --repo still imports it (types included). */
  | 'still-imported'
  /** No call, but the telemetry covers less than --min-days. */
  | 'not-enough-data';

export interface CodeModel {
  code: string;
  entryPoint: string;
  calls: number;
  /** Distinct call sites. */
  sites: number;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  hosts: number;
  verdict: Verdict;
  /** The verdict in words: "in use", "quiet since 2026-11-02", "still imported by 3 files", "not enough data (observed 15 s of 7 days)". */
  reason: string;
  /** For still-imported: the importing files, `repo:path:line` (the first few). */
  importers: string[];
  /** Calls per UTC day, `YYYY-MM-DD` → calls, for the chart. */
  days: Record<string, number>;
  topSites: { site: string; calls: number }[];
  /**
   * Lines naming this code that were skipped (a bad count or timestamp…): uses that could not be
   * counted, so a code with any is never called safe to remove. (Optional, as the last fields of
   * ReportModel are; `unified-ws report` always sets it.)
   */
  skippedLines?: number;
  /** The calls summed past Number.MAX_SAFE_INTEGER: `calls` is that bound, shown "over 9e15". */
  callsOverflow?: boolean;
}

/** A code the telemetry names that the manifest does not: shown, never silently dropped. */
export interface UnknownCode {
  code: string;
  /** The entry point as the telemetry gave it. */
  entryPoint: string;
  calls: number;
  lines: number;
  lastSeen: string | undefined;
  hosts: number;
  /** As CodeModel's. */
  callsOverflow?: boolean;
}

export interface ReportModel {
  /** When the report was made (ISO). */
  generated: string;
  /** The time the telemetry covers, across every process and host. */
  window: {
    from: string | undefined;
    to: string | undefined;
    /** The first 100 hosts in natural order (host-2 before host-10); `hostCount` counts all. */
    hosts: string[];
    processes: number;
    /** Every host (`hosts` lists the first 100). */
    hostCount?: number;
    /**
     * The time observed: the total length of the union of every process's observation and use
     * intervals — less than to − from when there are gaps. What --min-days is compared with.
     */
    observedMs?: number;
  };
  /** Counts by verdict, in the order the summary line reads them. */
  summary: Record<Verdict, number> & { total: number };
  codes: CodeModel[];
  /** Lines read, and lines skipped by reason ("not JSON", "bad code", "bad timestamp", …). */
  lines: number;
  skipped: Record<string, number>;
  /** The options the verdicts used. */
  options: {
    minDays: number;
    quietDays: number;
    repositories: string[];
    /** --ignore-unreadable: lines that name no code do not hold back "safe to remove". */
    ignoreUnreadable?: boolean;
  };
  // The fields below are optional so that a model written by hand (a test, an older producer)
  // still type-checks; `unified-ws report` always sets them.
  /** Codes in the telemetry that are not in the manifest, by calls. */
  unknown?: UnknownCode[];
  /**
   * Files of the repositories that name a legacy module but do not parse (`repo:path:line`):
   * what they import is unknown, so no code is called safe to remove while there is one.
   */
  unparsed?: string[];
  /**
   * Skipped lines that name no code and are not observation lines (a torn or over-long line…):
   * each may have been a use of any code, so while there is one no code is called safe to remove
   * (unless options.ignoreUnreadable).
   */
  unattributed?: number;
}
