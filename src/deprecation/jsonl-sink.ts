import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { runtimeInfo, type DeprecationRuntime } from './runtime';
import { OptionError } from '../errors/option-error';

export const TELEMETRY_FILE_ENV = 'UNIFIED_WS_TELEMETRY_FILE';

export interface JsonLinesOptions {
  /** The file to append to. Default: UNIFIED_WS_TELEMETRY_FILE. */
  path?: string;
  /** Flush period in ms (also flushed at exit). Default 10000. */
  intervalMs?: number;
}

/**
 * How often a flush with no use to write still writes an observation line (ms): at most one a
 * minute for an idle process, instead of one per flush. Any flush that writes uses writes one too,
 * and so does the last flush (stop, exit).
 */
export const IDLE_OBSERVATION_MS = 60_000;

/** One line of the telemetry file: the uses of one code at one call site since the last flush. */
export interface TelemetryLine {
  code: string;
  entryPoint: string;
  site: string;
  /** Uses since the previous line of the same process, code and site: sum lines to aggregate. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  removeIn: string;
  version: string;
  pid: number;
  host: string;
}

/**
 * The other kind of line: this process had the deprecation runtime loaded and the sink on from
 * `from` (the sink's start) to `to` (this flush), whether or not it used any legacy code. It is
 * what lets a reader tell "never called in 30 days on 3 hosts" from "no data". A reader sums the
 * lines without `kind` and skips the others: `from` is the same on every observation line of a
 * process, so the newest supersedes the earlier ones.
 */
export interface ObservationLine {
  kind: 'observation';
  from: string;
  to: string;
  version: string;
  pid: number;
  host: string;
}

/**
 * Appends telemetry as JSON lines. Each flush is a single append (O_APPEND, one write), so many
 * processes can share one file without corrupting a line; counts are deltas, so a reader sums.
 * A flush also writes an observation line (see ObservationLine): always when it writes uses, at
 * most once per IDLE_OBSERVATION_MS otherwise, and at the last flush — bounded and cheap.
 */
export class JsonLinesSink {
  readonly path: string;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private failed = false;
  private directoryReady = false;
  /** When the sink was made: the start of every observation line it writes. */
  private readonly startedAt = Date.now();
  private observedAt: number | undefined;
  private readonly onExit = (): void => {
    this.write(true);
  };

  constructor(
    private readonly runtime: DeprecationRuntime,
    options: JsonLinesOptions = {},
  ) {
    const path = options.path ?? process.env[TELEMETRY_FILE_ENV];
    if (!path)
      throw new OptionError(
        `JSON-lines telemetry needs a path (option \`path\` or ${TELEMETRY_FILE_ENV})`,
      );
    this.path = path;
    this.intervalMs = options.intervalMs ?? 10_000;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs < 1)
      throw new OptionError('JSON-lines telemetry: intervalMs must be a positive integer');
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
    process.on('exit', this.onExit);
  }

  /**
   * Writes the uses counted since the last flush; returns the number of those lines (the
   * observation line a flush may add is not counted).
   */
  flush(): number {
    return this.write(false);
  }

  private write(last: boolean): number {
    const now = Date.now();
    const lines: string[] = [];
    for (const state of this.runtime.all()) {
      this.runtime.settle(state, now);
      for (const site of state.sites.values()) {
        const count = site.count - site.flushed;
        if (count <= 0) continue;
        const line: TelemetryLine = {
          code: state.code,
          entryPoint: state.entryPoint,
          site: site.site,
          count,
          firstSeen: new Date(site.firstSeen).toISOString(),
          lastSeen: new Date(site.lastSeen).toISOString(),
          removeIn: state.entry.removeIn,
          ...runtimeInfo,
        };
        lines.push(JSON.stringify(line));
        site.flushed = site.count;
      }
    }
    const uses = lines.length;
    const observe =
      uses > 0 ||
      last ||
      this.observedAt === undefined ||
      now - this.observedAt >= IDLE_OBSERVATION_MS;
    if (observe) {
      const observation: ObservationLine = {
        kind: 'observation',
        from: new Date(this.startedAt).toISOString(),
        to: new Date(now).toISOString(),
        ...runtimeInfo,
      };
      lines.push(JSON.stringify(observation));
    }
    if (lines.length === 0) return 0;
    try {
      if (!this.directoryReady) ensureDirectory(dirname(this.path));
      this.directoryReady = true;
      appendFileSync(this.path, `${lines.join('\n')}\n`);
    } catch (error) {
      // Telemetry must never take the application down; say so once.
      if (!this.failed)
        process.emitWarning(
          `unified-ws telemetry could not be written to ${this.path}: ${(error as Error).message}`,
          { type: 'UnifiedWsWarning', code: 'UWS_TELEMETRY_WRITE' },
        );
      this.failed = true;
      return 0;
    }
    if (observe) this.observedAt = now;
    return uses;
  }

  /** Stops the timer and the exit hook, after a last flush. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    process.off('exit', this.onExit);
    this.write(true);
  }
}

/**
 * mkdir -p, one level at a time: Node's `mkdirSync(path, { recursive: true })` never returns for
 * some paths (under /proc, seen on Node 20), and a telemetry path must not hang an application.
 */
function ensureDirectory(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDirectory(parent);
  mkdirSync(dir);
}
