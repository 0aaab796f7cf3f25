import type { Node } from '@babel/types';
import { lineStartOf } from './edits';
import type { Attached } from './specifier-layout';

// The comments that belong to a whole statement: the directives right above it (an
// `eslint-disable-next-line` applies to the line after it) and the comments after it on its last
// line. A statement that goes takes them along (into the list its names move to) or away with it,
// so none is left applying to another statement, nor on a line of its own. Other comments above a
// statement describe what follows as much as the statement: they stay where they are.

/** A comment's range in the source. */
export interface CommentRange {
  start: number;
  end: number;
}

/** A comment of a statement: its text, and the range a removal takes (whole lines for one above). */
export interface OwnComment {
  start: number;
  end: number;
  text: string;
}

export interface StatementComments {
  /** The directives right above the statement (no blank line between), top first. */
  above: OwnComment[];
  /** The comments after it on its last line, up to the line break. */
  trailing: OwnComment[];
}

/** A unified-ws marker: the marker rewriter's (markers.ts), never carried or removed here. */
const MARKER = /^\/\/ unified-ws\([A-Z][A-Z0-9_-]*\d+\):/;

/** A comment that applies to the line after it: it belongs to the statement under it. */
export const DIRECTIVE =
  /^\s*(?:\/\/|\/\*)\s*(?:eslint-disable-next-line|@ts-ignore|@ts-expect-error|prettier-ignore|biome-ignore|oxlint-disable-next-line|deno-lint-ignore|istanbul ignore|c8 ignore|v8 ignore|stylelint-disable-next-line)\b/;

/**
 * The comments of a statement. Comments that open the file (nothing but a `#!` line before them)
 * are its header, not the first statement's: they stay where they are. `comments` are in source
 * order.
 */
export function statementComments(
  source: string,
  comments: readonly CommentRange[],
  node: Node,
): StatementComments {
  const start = node.start ?? 0;
  const end = node.end ?? 0;
  const above: OwnComment[] = [];
  let cursor = lineStartOf(source, start);
  if (/^[ \t]*$/.test(source.slice(cursor, start))) {
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = comments[i] as CommentRange;
      if (c.end > cursor) continue;
      const lineStart = lineStartOf(source, c.start);
      if (
        !/^[ \t]*\r?\n$/.test(source.slice(c.end, cursor)) ||
        !/^[ \t]*$/.test(source.slice(lineStart, c.start))
      )
        break;
      const text = source.slice(c.start, c.end);
      if (!MARKER.test(text)) {
        if (!DIRECTIVE.test(text)) break;
        above.unshift({ start: lineStart, end: cursor, text });
      }
      cursor = lineStart;
    }
    const first = above[0];
    if (first && /^(?:#![^\n]*\n)?\s*$/.test(source.slice(0, first.start))) above.length = 0;
  }
  const trailing: OwnComment[] = [];
  let at = end;
  for (const c of comments) {
    if (c.start < at) continue;
    if (!/^[ \t]*$/.test(source.slice(at, c.start))) break;
    trailing.push({ start: c.start, end: c.end, text: source.slice(c.start, c.end) });
    at = c.end;
  }
  // Only comments that end the line trail it: `/* a */ next();` belongs to what follows.
  if (!/^[ \t]*(?:\r?\n|$)/.test(source.slice(at))) trailing.length = 0;
  return { above, trailing };
}

/** Whether a statement has comments of its own. */
export const hasComments = (own: StatementComments): boolean =>
  own.above.length > 0 || own.trailing.length > 0;

/**
 * The comments of names that move from a statement that goes: the statement's comments above go
 * before the first name's, its trailing ones after the last name's.
 */
export function withStatementComments(
  names: readonly Attached[],
  own: StatementComments,
): Attached[] {
  const moved = names.map((n) => ({ leading: [...n.leading], trailing: n.trailing }));
  const first = moved[0];
  const last = moved.at(-1);
  if (!first || !last) return moved;
  first.leading.unshift(...own.above.map((c) => c.text));
  const after = own.trailing.map((c) => c.text);
  if (after.length > 0) {
    // A name that has a trailing comment of its own keeps it; the statement's go on lines above.
    if (last.trailing === undefined && after.length === 1) last.trailing = after[0];
    else last.leading.push(...after);
  }
  return moved;
}
