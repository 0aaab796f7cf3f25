/** A replacement of source[start, end) by text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping edits to the original text, so every byte no edit covers — quotes,
 * comments, blank lines, semicolons, trailing commas — stays exactly as it was. Overlaps are a
 * bug in the caller and throw.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let output = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at ${edit.start}`);
    output += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return output + source.slice(cursor);
}

/** The range of a whole statement line(s), with its line break, for deleting a statement. */
export function lineRange(
  source: string,
  start: number,
  end: number,
): { start: number; end: number } {
  let from = start;
  while (from > 0 && (source[from - 1] === ' ' || source[from - 1] === '\t')) from--;
  let to = end;
  while (to < source.length && (source[to] === ' ' || source[to] === '\t')) to++;
  if (source[to] === '\r') to++;
  if (source[to] === '\n') to++;
  const lineStart = from === 0 || source[from - 1] === '\n';
  return lineStart ? { start: from, end: to } : { start, end };
}

/**
 * The file's line break, which every line break a rewrite inserts follows: that of its first line,
 * as prettier's `endOfLine: "auto"` reads it; `\n` in a file of one line.
 */
export function lineBreakOf(source: string): '\n' | '\r\n' {
  const at = source.indexOf('\n');
  return at > 0 && source[at - 1] === '\r' ? '\r\n' : '\n';
}

/** The text with its line breaks written as `eol`. */
export const withLineBreak = (text: string, eol: '\n' | '\r\n'): string =>
  text.replace(/\r?\n/g, eol);

/** The indentation of the line that holds `offset`. */
export function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
}

/** The start of the line that holds `offset`. */
export function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The edit that keeps only some specifiers of a list, each with its own text and the list's own
 * separator (`, ` or `,\n  `): one edit for the whole list, so removals never collide.
 */
export function keepOnly(
  source: string,
  specifiers: readonly { start?: number | null; end?: number | null }[],
  kept: ReadonlySet<unknown>,
): TextEdit {
  const first = specifiers[0];
  const last = specifiers[specifiers.length - 1];
  const second = specifiers[1];
  const separator = first && second ? source.slice(first.end ?? 0, second.start ?? 0) : ', ';
  const text = specifiers
    .filter((s) => kept.has(s))
    .map((s) => source.slice(s.start ?? 0, s.end ?? 0))
    .join(separator);
  return { start: first?.start ?? 0, end: last?.end ?? 0, text };
}
