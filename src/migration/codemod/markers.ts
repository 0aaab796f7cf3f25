import type { Node } from '@babel/types';
import { isAbsolute, relative, resolve } from 'node:path';
import { markerReference } from '../../manifest/render';
import type { Manifest, ManifestEntry } from '../../manifest/types';
import { indentAt, lineBreakOf, lineStartOf, type TextEdit } from './edits';
// A directive applies to the line after it: a marker between it and its statement would take it.
import { DIRECTIVE } from './statement-comments';

// The `// unified-ws(CODE): …` markers of one file: what the rewrite rooms say about a statement is
// collected, then written as one line per statement and code — every name that needs attention
// named on it, the report holding exactly the lines written. A marker a run finds above a
// statement it rewrites (or marks again) is replaced or removed, so a later run leaves no stale one.

/** A place where the codemod could not rewrite safely: reported, and marked in the file. */
export interface MarkerReport {
  code: string;
  line: number;
  /** What the marker says, whole (the comment in the file may be shortened). */
  reason: string;
  /** The long form: what to write instead, for the report only (never pasted into the source). */
  detail?: string;
}

/** A marker is one line of at most this many characters: code, what to do, docs link. */
export const MARKER_MAX_LENGTH = 160;

/**
 * What a marker says about one name. Names of a statement with the same `one` and `many` share a
 * sentence: `{names}` in `one` (a single name) or `many` (several) stands for them.
 */
export interface NameNote {
  name: string;
  one: string;
  many: string;
}

/** What a room says about a statement: a whole sentence, or a note about one of its names. */
export type Said = string | NameNote;

/** The marker note of a name the manifest does not map (it stays on its shim). */
export function unmappedNote(name: string, specifier: string): NameNote {
  const text = `the manifest does not map {names} of ${specifier}; left on its shim`;
  return { name, one: text, many: text };
}

/**
 * Where the markers of a manifest's entries send the reader (markerReference): a manifest read from
 * a file is named by its path from the repository root (`root`) where it lies inside it; one
 * outside the repository is not named (its path would be this machine's).
 */
export function referenceTo(
  manifest: Manifest,
  root: string,
): (entry: ManifestEntry) => string | undefined {
  const shown = manifest.file === undefined ? undefined : repositoryPath(manifest.file, root);
  return (entry) => markerReference(manifest, entry, shown);
}

/**
 * A file's path from the repository root, `/`-separated, or undefined when it lies outside the
 * repository: a path written into the repository's code must mean something on every clone.
 */
export function repositoryPath(file: string, root: string): string | undefined {
  const named = relative(root, resolve(file));
  return named !== '' && !named.startsWith('..') && !isAbsolute(named)
    ? named.replace(/\\/g, '/')
    : undefined;
}

/** A comment's range in the source. */
interface Range {
  start: number;
  end: number;
}

/** One line of the source: its range with the line break, and its text without. */
interface Line extends Range {
  textEnd: number;
  text: string;
}

interface Pending {
  entry: ManifestEntry;
  statement: Node;
  said: Said[];
  details: string[];
}

/** A sentence of a marker: plain, or names sharing what is said of them. */
type Part = { text: string } | { names: string[]; one: string; many: string };

const MARKER = /^\s*\/\/ unified-ws\(([A-Z][A-Z0-9_-]*\d+)\):/;

/** A parenthesised detail ending a sentence: the first thing a marker too long drops. */
const TRAILING_DETAIL = / \([^()]*(?:\([^()]*\)[^()]*)*\)$/;

/**
 * The parts with the line numbers they quote (`(line 9)`) as `existing` quotes them: the lines of
 * uses move as markers are added above them, and a marker that says the same is kept as it is.
 */
function withLinesOf(parts: readonly Part[], existing: string): Part[] {
  const numbers = [...existing.matchAll(/\(line (\d+)\)/g)].map((m) => m[1] as string);
  let next = 0;
  const renumber = (text: string) =>
    text.replace(/\(line (\d+)\)/g, (_whole, n: string) => `(line ${numbers[next++] ?? n})`);
  return parts.map((p) =>
    'text' in p
      ? { text: renumber(p.text) }
      : { ...p, one: renumber(p.one), many: renumber(p.many) },
  );
}

export class Markers {
  /** What was said of each statement the rewrite visited, by statement start and code. */
  private readonly pending = new Map<string, Pending>();
  private readonly commentEnds = new Map<number, number>();
  /** One per marker line the file has after the rewrite; complete after edits(). */
  readonly reports: MarkerReport[] = [];

  constructor(
    private readonly source: string,
    comments: readonly Range[],
    /** The 1-based line of an offset. */
    private readonly lineOf: (offset: number) => number,
    /** Where a marker of an entry sends the reader (`; see …`), if anywhere. */
    private readonly reference: (entry: ManifestEntry) => string | undefined,
  ) {
    for (const c of comments) this.commentEnds.set(c.start, c.end);
  }

  /** A statement holding a use of the entry: a marker of its code above it is stale unless said again. */
  visit(entry: ManifestEntry, statement: Node): void {
    this.pendingOf(entry, statement);
  }

  add(entry: ManifestEntry, statement: Node, said: Said, detail?: string): void {
    const pending = this.pendingOf(entry, statement);
    pending.said.push(said);
    if (detail !== undefined && !pending.details.includes(detail)) pending.details.push(detail);
  }

  /** The edits that write, replace and remove marker lines (call once, after every site). */
  edits(): TextEdit[] {
    const edits: TextEdit[] = [];
    const eol = lineBreakOf(this.source);
    for (const { entry, statement, said, details } of this.pending.values()) {
      const start = statement.start ?? 0;
      const above = this.commentLinesAbove(start);
      // The directives and markers right above the statement; a marker goes above its directives.
      const run: Line[] = [];
      for (let i = above.length - 1; i >= 0; i--) {
        const line = above[i] as Line;
        if (!DIRECTIVE.test(line.text) && !MARKER.test(line.text)) break;
        run.unshift(line);
      }
      const directives = run.filter((l) => DIRECTIVE.test(l.text));
      const own = run.filter((l) => MARKER.exec(l.text)?.[1] === entry.code);
      const remove = (line: Line) => edits.push({ start: line.start, end: line.end, text: '' });
      if (said.length === 0) {
        own.forEach(remove);
        continue;
      }
      const parts = partsOf(said);
      const reason = parts.map((p) => sentence(p)).join('; ');
      this.reports.push({
        code: entry.code,
        line: this.lineOf(start),
        reason,
        ...(details.length > 0 ? { detail: details.join('; ') } : {}),
      });
      const reference = this.reference(entry);
      const comment = markerLine(entry.code, parts, reference);
      const indent = indentAt(this.source, start);
      // One of its own above every directive is kept (or rewritten in place); any other goes.
      const kept = own.find((l) => directives.every((d) => l.start < d.start));
      for (const line of own) if (line !== kept) remove(line);
      const again = kept && markerLine(entry.code, withLinesOf(parts, kept.text), reference);
      if (kept && again === kept.text.trim()) continue;
      if (kept) {
        edits.push({ start: kept.start, end: kept.textEnd, text: `${indent}${comment}` });
        continue;
      }
      const at = directives.length > 0 ? (run[0] as Line).start : lineStartOf(this.source, start);
      edits.push({ start: at, end: at, text: `${indent}${comment}${eol}` });
    }
    return edits;
  }

  private pendingOf(entry: ManifestEntry, statement: Node): Pending {
    const key = `${statement.start}:${entry.code}`;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = { entry, statement, said: [], details: [] };
      this.pending.set(key, pending);
    }
    return pending;
  }

  /** The lines right above the line of `offset` that hold nothing but one comment, top first. */
  private commentLinesAbove(offset: number): Line[] {
    const lines: Line[] = [];
    for (let end = lineStartOf(this.source, offset); end > 0;) {
      const start = lineStartOf(this.source, end - 1);
      const text = this.source.slice(start, end).replace(/\r?\n$/, '');
      const match = /^([ \t]*)(\S(?:.*\S)?)[ \t]*$/.exec(text);
      if (!match) break;
      const from = start + (match[1] as string).length;
      if (this.commentEnds.get(from) !== from + (match[2] as string).length) break;
      lines.unshift({ start, end, textEnd: start + text.length, text });
      end = start;
    }
    return lines;
  }
}

/** What was said, as sentences: the notes of names that share one merged, in first-said order. */
function partsOf(said: readonly Said[]): Part[] {
  const parts: Part[] = [];
  const byTemplate = new Map<string, { names: string[]; one: string; many: string }>();
  for (const item of said) {
    if (typeof item === 'string') {
      if (!parts.some((p) => 'text' in p && p.text === item)) parts.push({ text: item });
      continue;
    }
    const key = `${item.one}\0${item.many}`;
    const part = byTemplate.get(key);
    if (part) {
      if (!part.names.includes(item.name)) part.names.push(item.name);
    } else {
      const created = { names: [item.name], one: item.one, many: item.many };
      byTemplate.set(key, created);
      parts.push(created);
    }
  }
  return parts;
}

/** `a`, `a and b`, `a, b and c`; with `shown` fewer than all: `a, b and 3 more`. */
function nameList(names: readonly string[], shown = names.length): string {
  if (shown < names.length)
    return `${names.slice(0, Math.max(1, shown)).join(', ')} and ${names.length - Math.max(1, shown)} more`;
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1) as string}`;
}

function sentence(part: Part, shown?: number): string {
  if ('text' in part) return part.text;
  const template = part.names.length === 1 ? part.one : part.many;
  return template.replace('{names}', () => nameList(part.names, shown));
}

/** A part without the parenthesised detail its sentence ends with. */
function withoutDetail(part: Part): Part {
  return 'text' in part
    ? { text: part.text.replace(TRAILING_DETAIL, '') }
    : {
        ...part,
        one: part.one.replace(TRAILING_DETAIL, ''),
        many: part.many.replace(TRAILING_DETAIL, ''),
      };
}

/**
 * The marker comment: one line of at most MARKER_MAX_LENGTH characters. What does not fit goes in
 * this order: the parenthesised details, then names (as many as fit, then "and N more"), then the
 * end of the text (cut at a word, with …).
 */
export function markerLine(code: string, said: readonly Part[], reference?: string): string {
  const head = `// unified-ws(${code}): `;
  const tail = reference === undefined ? '' : `; see ${reference}`;
  const room = MARKER_MAX_LENGTH - head.length - tail.length;
  const clean = (text: string) => text.replace(/\s+/g, ' ').trim();
  const shown = new Map<Part, number>();
  const render = (parts: readonly Part[]) =>
    clean(parts.map((p) => sentence(p, shown.get(p))).join('; '));
  let parts = said;
  let text = render(parts);
  if (text.length > room) {
    parts = parts.map(withoutDetail);
    text = render(parts);
  }
  // Fewer names shown, one at a time from the longest list, while that shortens the line.
  for (;;) {
    if (text.length <= room) break;
    const longest = parts
      .filter((p): p is Extract<Part, { names: string[] }> => 'names' in p)
      .map((p) => ({ p, count: shown.get(p) ?? p.names.length }))
      .filter(({ count }) => count > 1)
      .sort((a, b) => b.count - a.count)[0];
    if (!longest) break;
    shown.set(longest.p, longest.count - 1);
    text = render(parts);
  }
  if (text.length > room) {
    const cut = text.slice(0, room - 1);
    text = `${cut.slice(0, Math.max(cut.lastIndexOf(' '), room / 2)).trimEnd()}…`;
  }
  return `${head}${text}${tail}`;
}

/** The marker comment for one reason (a single sentence): as markerLine writes it. */
export function markerComment(code: string, reason: string, reference?: string): string {
  return markerLine(code, [{ text: reason }], reference);
}
