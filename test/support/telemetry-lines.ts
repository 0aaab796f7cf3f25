// Telemetry lines as the JSON-lines sink writes them (src/deprecation/jsonl-sink.ts), for the
// report's tests: a use of a code at a time, an observation of a process, a file's text.

export const DAY = 86_400_000;
export const iso = (ms: number): string => new Date(ms).toISOString();

/** One flush's line for a code: `count` uses, the last at `at` (ms). */
export const use = (
  code: string,
  count: number,
  at: number,
  where: { site?: string; host?: string; pid?: number } = {},
) => ({
  code,
  entryPoint: `unified-ws/${code}`,
  site: where.site ?? 'src/a.ts:1:1',
  count,
  firstSeen: iso(at - 1000),
  lastSeen: iso(at),
  pid: where.pid ?? 1,
  host: where.host ?? 'web-1',
});

/** A process watched from `from` to `to` (ms). */
export const observation = (from: number, to: number, host = 'web-1', pid = 1) => ({
  kind: 'observation',
  from: iso(from),
  to: iso(to),
  pid,
  host,
});

/** The text of a telemetry file holding these lines. */
export const jsonl = (lines: readonly unknown[]): string =>
  lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
