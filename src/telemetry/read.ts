// Reading JSON-lines telemetry that many processes on many hosts wrote, and that anyone who can
// write to the file may have written: each line is validated field by field, and a line that
// fails is skipped and counted under the reason — never guessed at.

import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PATTERNS } from '../manifest/schema';
import { UNSAFE_TEXT } from './terminal';

/** A use line, validated: the uses of one code at one call site in one process since its last flush. */
export interface UseRecord {
  kind: 'use';
  code: string;
  entryPoint: string;
  site: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  host: string;
  pid: number;
}

/** An observation line, validated: a process had the runtime loaded from `from` to `to`. */
export interface ObservationRecord {
  kind: 'observation';
  from: string;
  to: string;
  host: string;
  pid: number;
}

export type TelemetryRecord = UseRecord | ObservationRecord;

/** A line that is skipped, why, and the code it names when that much of it was valid. */
export interface SkippedLine {
  reason: string;
  code?: string;
  /**
   * Codes recovered from a line that could not be parsed or validated (see recoverCodes): the
   * line may have been a use of each, so none of them is safe to remove.
   */
  named?: string[];
  /** The line said it is an observation line: whatever it was, it was not a use. */
  observation?: boolean;
}

/**
 * The largest count one line may give: a flush of one process covers seconds, and 10^12 uses of
 * one call site in one flush is no real process. A larger count is skipped as "bad count" (and
 * keeps the sums of many lines far from 2^53).
 */
export const MAX_COUNT = 1e12;
/** How much of an unparsable line is searched for the codes it names. */
export const RECOVER_HEAD = 4096;
/** `"code": "…"`, bounded (no backtracking beyond a code's length): see recoverCodes. */
const NAMED_CODE = /"code"\s{0,16}:\s{0,16}"([A-Z][A-Z0-9_-]{0,63})"/g;

/**
 * The codes a line that could not be parsed or validated names, from its first RECOVER_HEAD
 * characters: a torn last line (`{"code":"…","count":5,"last`) or two lines run together
 * still say which code they counted. At most 16, each of the manifest's format.
 */
export function recoverCodes(head: string): string[] {
  const codes = new Set<string>();
  for (const match of head.slice(0, RECOVER_HEAD).matchAll(NAMED_CODE)) {
    const code = match[1] as string;
    if (CODE.test(code)) codes.add(code);
    if (codes.size >= 16) break;
  }
  return [...codes];
}

/** The longest line read (a real one is well under 1 KiB); a longer one is skipped unparsed. */
export const MAX_LINE = 64 * 1024;
/** Bounds of the strings kept (code points); longer ones are cut, with an ellipsis. */
const MAX = { code: 64, site: 512, host: 255, entryPoint: 512 } as const;
/** A timestamp this far past the reader's clock is not a clock skew: the line is skipped. */
const FUTURE_MS = 86_400_000;
/** Telemetry older than this is a clock that was never set (1970), not an observation. */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

const CODE = new RegExp(PATTERNS.code, 'u');
/** ISO 8601 in UTC, as Date#toISOString writes it (the fraction optional). */
const ISO_UTC =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

/** The files named: each file given, and the *.jsonl and *.ndjson files of each directory given. */
export function telemetryFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolve(path);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort())
        if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) files.push(join(full, name));
    } else {
      files.push(full);
    }
  }
  return files;
}

/**
 * Calls `each` with every non-blank line of a file, read in chunks (a file of any size, never
 * whole in memory); a line longer than MAX_LINE is passed as `undefined` without being kept, but
 * with its first RECOVER_HEAD characters as `head` (for the codes it names).
 */
export function eachLine(
  file: string,
  each: (line: string | undefined, head?: string) => void,
): void {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let tooLong = false;
    let head = '';
    const take = (text: string, end: boolean) => {
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        const line = pending + text.slice(start, newline);
        pending = '';
        start = newline + 1;
        if (tooLong) each(undefined, head);
        else if (line.length > MAX_LINE) each(undefined, line.slice(0, RECOVER_HEAD));
        else if (line.trim() !== '') each(line);
        tooLong = false;
        head = '';
      }
      pending += text.slice(start);
      if (pending.length > MAX_LINE) {
        if (!tooLong) head = pending.slice(0, RECOVER_HEAD);
        tooLong = true;
        pending = '';
      }
      if (end && (tooLong || pending.trim() !== ''))
        if (tooLong) each(undefined, head);
        else each(pending);
    };
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      take(decoder.write(buffer.subarray(0, read)), false);
    }
    take(decoder.end(), true);
  } finally {
    closeSync(fd);
  }
}

/**
 * A string of telemetry as the report keeps it: every control, bidi and invisible character
 * replaced by U+FFFD (so that tampering shows, and nothing of it reaches a terminal or a page
 * raw), cut to `max` code points.
 */
export function cleanString(text: string, max: number): string {
  const clean = text.replace(UNSAFE_TEXT, '\ufffd');
  const chars = Array.from(clean);
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}

/** A strict UTC timestamp that is a real date, not before 2000 and not beyond tomorrow. */
function timestamp(value: unknown, now: number): number | 'bad' | 'future' {
  if (typeof value !== 'string' || !ISO_UTC.test(value)) return 'bad';
  const ms = Date.parse(value);
  // 2026-02-30 matches the expression; Date.parse moves it to March, and the round trip shows it.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value.slice(0, 10))
    return 'bad';
  if (ms < EARLIEST) return 'bad';
  return ms > now + FUTURE_MS ? 'future' : ms;
}

const isInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isCount = (value: unknown): value is number => isInteger(value) && value <= MAX_COUNT;

/**
 * One line, validated: a record, or why it is skipped. A use line needs a code of the manifest
 * format, a count that is an integer from 0 to MAX_COUNT, strict UTC timestamps with firstSeen ≤
 * lastSeen, string site, host and entry point, and an integer pid; an observation line needs
 * `from` ≤ `to`, host and pid. Other fields (version, removeIn) are not used and not read.
 */
export function parseLine(text: string, now: number): TelemetryRecord | SkippedLine {
  const parsed = parseValid(text, now);
  if ('kind' in parsed || parsed.code !== undefined || parsed.observation) return parsed;
  const named = recoverCodes(text);
  return named.length > 0 ? { ...parsed, named } : parsed;
}

function parseValid(text: string, now: number): TelemetryRecord | SkippedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { reason: 'not an object' };
  const line = value as Record<string, unknown>;
  if (line.kind === 'observation') {
    const record = observation(line, now);
    return 'kind' in record ? record : { ...record, observation: true };
  }
  if (line.kind !== undefined) return { reason: 'unknown kind' };

  if (typeof line.code !== 'string' || line.code.length > MAX.code || !CODE.test(line.code))
    return { reason: 'bad code' };
  const code = line.code;
  if (!isCount(line.count)) return { reason: 'bad count', code };
  const first = timestamp(line.firstSeen, now);
  const last = timestamp(line.lastSeen, now);
  if (first === 'bad' || last === 'bad') return { reason: 'bad timestamp', code };
  if (first === 'future' || last === 'future') return { reason: 'timestamp in the future', code };
  if (first > last) return { reason: 'first seen after last seen', code };
  if (typeof line.site !== 'string') return { reason: 'bad site', code };
  if (typeof line.host !== 'string') return { reason: 'bad host', code };
  if (typeof line.entryPoint !== 'string') return { reason: 'bad entry point', code };
  if (!isInteger(line.pid)) return { reason: 'bad pid', code };
  return {
    kind: 'use',
    code,
    entryPoint: cleanString(line.entryPoint, MAX.entryPoint),
    site: cleanString(line.site, MAX.site),
    count: line.count,
    firstSeen: new Date(first).toISOString(),
    lastSeen: new Date(last).toISOString(),
    host: cleanString(line.host, MAX.host),
    pid: line.pid,
  };
}

function observation(line: Record<string, unknown>, now: number): ObservationRecord | SkippedLine {
  const from = timestamp(line.from, now);
  const to = timestamp(line.to, now);
  if (from === 'bad' || to === 'bad') return { reason: 'bad timestamp' };
  if (from === 'future' || to === 'future') return { reason: 'timestamp in the future' };
  if (from > to) return { reason: 'observation ends before it starts' };
  if (typeof line.host !== 'string') return { reason: 'bad host' };
  if (!isInteger(line.pid)) return { reason: 'bad pid' };
  return {
    kind: 'observation',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    host: cleanString(line.host, MAX.host),
    pid: line.pid,
  };
}
