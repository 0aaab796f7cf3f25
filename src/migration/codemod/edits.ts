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

/** The indentation of the line that holds `offset`. */
export function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
}

/** The start of the line that holds `offset`. */
export function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}
