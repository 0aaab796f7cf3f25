import type { Comment, ImportDeclaration, Node, Statement } from '@babel/types';
import type { TextEdit } from './codemod/edits';

// The text a shim takes out of the original file: a statement with the comments that are its own
// (never the file's header nor a license), removals merged so no run of blank lines is left, and
// an import cut down to the specifiers that stay.

const KEEP_ALWAYS = /copyright|licen[cs]e|@preserve|^\/\*!/i;

/** Comments at the top of the file that belong to no statement: a license, a file comment. */
export function headerComments(
  source: string,
  body: readonly Statement[],
  comments: readonly Comment[],
): Set<Comment> {
  const first = body[0];
  const top = comments.filter((c) => first === undefined || (c.end ?? 0) <= (first.start ?? 0));
  const header = new Set<Comment>();
  let cursor = 0;
  for (const comment of top) {
    if (!/^(?:#![^\n]*\n)?\s*$/.test(source.slice(cursor, comment.start ?? 0))) break;
    header.add(comment);
    cursor = comment.end ?? 0;
  }
  // A doc comment right above the first declaration is that declaration's, not the file's.
  if (first && first.type !== 'ImportDeclaration') {
    const attached = ownComments(source, first, comments);
    for (const comment of attached)
      if (comment.type === 'CommentBlock' && comment.value.startsWith('*')) header.delete(comment);
  }
  return header;
}

/** The comments right above a statement (no blank line between them and it). */
export function ownComments(
  source: string,
  statement: Node,
  comments: readonly Comment[],
): Comment[] {
  const own: Comment[] = [];
  let start = statement.start ?? 0;
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i] as Comment;
    if ((comment.end ?? 0) > start) continue;
    const between = source.slice(comment.end ?? 0, start);
    if (!/^[ \t]*\r?\n?[ \t]*$/.test(between)) break;
    // A comment that ends another statement's line is that statement's.
    const lineStart = source.lastIndexOf('\n', (comment.start ?? 0) - 1) + 1;
    if (!/^\s*$/.test(source.slice(lineStart, comment.start ?? 0))) break;
    own.unshift(comment);
    start = comment.start ?? 0;
  }
  return own;
}

/**
 * The range a removed statement takes: its own comments above it (never the file's header nor a
 * license), the statement, a comment that ends its line, and its line break.
 */
export function statementRange(
  source: string,
  statement: Node,
  comments: readonly Comment[],
  header: ReadonlySet<Comment>,
): { start: number; end: number } {
  const own = ownComments(source, statement, comments).filter(
    (c) => !header.has(c) && !KEEP_ALWAYS.test(`/*${c.value}`),
  );
  // Only a contiguous run right above the statement goes.
  let startComment: Comment | undefined;
  const all = ownComments(source, statement, comments);
  for (let i = all.length - 1; i >= 0 && own.includes(all[i] as Comment); i--)
    startComment = all[i];
  let start = startComment?.start ?? statement.start ?? 0;
  let end = statement.end ?? 0;
  const trailing = comments.find(
    (c) => (c.start ?? 0) >= end && /^[ \t]*$/.test(source.slice(end, c.start ?? 0)),
  );
  if (trailing) end = trailing.end ?? end;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const restOfLine = /^[ \t]*(?:\r?\n|$)/.exec(source.slice(end));
  if (/^[ \t]*$/.test(source.slice(lineStart, start)) && restOfLine) {
    start = lineStart;
    end += restOfLine[0].length;
  }
  return { start, end };
}

/**
 * Removals as edits: ranges that only white space separates become one, and a removal between
 * two blank lines (or at the top or the end of the file) takes one of them along, so no run of
 * blank lines is left behind.
 */
export function mergeRemovals(
  source: string,
  ranges: { start: number; end: number }[],
): TextEdit[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && /^\s*$/.test(source.slice(last.end, range.start)))
      last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  for (const range of merged) {
    const before = source.slice(0, range.start);
    const blankBefore = before === '' || /\n[ \t]*\r?\n$/.test(before) || /^\s*$/.test(before);
    const blanksAfter = /^(?:[ \t]*\r?\n)+/.exec(source.slice(range.end));
    if (/^\s*$/.test(source.slice(range.end))) {
      // The end of the file: the blank lines before the removal go, not the last line break.
      const trailing = /(?:\r?\n[ \t]*)+$/.exec(before);
      if (trailing && before.length > trailing[0].length)
        range.start -= trailing[0].length - (trailing[0].startsWith('\r') ? 2 : 1);
      range.end = source.length;
    } else if (blankBefore && blanksAfter) range.end += blanksAfter[0].length;
  }
  return merged.map((range) => ({ ...range, text: '' }));
}

/** The import declaration with only these specifiers (its quotes, attributes and `;` kept). */
export function importClause(source: string, statement: ImportDeclaration, kept: Node[]): TextEdit {
  const text = (node: Node) => source.slice(node.start ?? 0, node.end ?? 0);
  const defaults = kept.filter((s) => s.type === 'ImportDefaultSpecifier').map(text);
  const namespace = kept.filter((s) => s.type === 'ImportNamespaceSpecifier').map(text);
  const named = kept.filter((s) => s.type === 'ImportSpecifier').map(text);
  const parts = [...defaults, ...namespace];
  if (named.length > 0) parts.push(`{ ${named.join(', ')} }`);
  const kind = statement.importKind === 'type' ? 'type ' : '';
  return {
    start: statement.start ?? 0,
    end: statement.source.start ?? 0,
    text: `import ${kind}${parts.join(', ')} from `,
  };
}
