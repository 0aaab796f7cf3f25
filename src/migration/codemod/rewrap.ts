import type { Node } from '@babel/types';
import { applyEdits, indentAt, lineBreakOf, lineStartOf, type TextEdit } from './edits';
import type { FormatStyle } from './format-style';
import { parseSource } from './parse';

// A rewrite that lengthens a statement — 'fs' → 'node:fs', a name renamed or added — can take a
// one-line import or export list past the project's printWidth, which prettier --check then
// reports. In a project with a prettier config, such a list is laid out as prettier lays it out:
// one specifier a line, in the config's indentation, with its trailing comma.

const LISTED = new Set(['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration']);

/**
 * The edits with every top-level import or export statement whose list they leave on one line
 * longer than `style.printWidth` — and that fitted before — written one specifier a line instead.
 * A statement under `// prettier-ignore`, or whose list has one specifier (prettier keeps it on
 * one line), stays as the edits leave it.
 */
export function rewrapped(
  source: string,
  body: readonly Node[],
  edits: readonly TextEdit[],
  style: FormatStyle | undefined,
  filePath: string,
): TextEdit[] {
  if (!style) return [...edits];
  let result = [...edits];
  for (const statement of body) {
    if (!LISTED.has(statement.type)) continue;
    const start = statement.start ?? 0;
    const end = statement.end ?? 0;
    // A line inserted before it, or an import created after it, is not part of it.
    const edge = (e: TextEdit) => e.start === e.end && (e.start === start || e.start === end);
    const touching = result.filter((e) => e.start < end && e.end > start && !edge(e));
    const inside = result.filter((e) => e.start >= start && e.end <= end && !edge(e));
    if (inside.length === 0 || touching.length !== inside.length) continue;
    const indent = indentAt(source, start);
    const before = source.slice(start, end);
    const text = applyEdits(
      before,
      inside.map((e) => ({ ...e, start: e.start - start, end: e.end - start })),
    );
    if (text.includes('\n') || before.includes('\n')) continue;
    if (indent.length + text.length <= style.printWidth) continue;
    if (indent.length + before.length > style.printWidth) continue;
    if (/\/\/\s*prettier-ignore\s*$/.test(lineAbove(source, start))) continue;
    const laidOut = brokenStatement(text, indent, style, lineBreakOf(source), filePath);
    if (laidOut === undefined) continue;
    result = result.filter((e) => !inside.includes(e));
    result.push({ start, end, text: laidOut });
  }
  return result;
}

function lineAbove(source: string, offset: number): string {
  const lineStart = lineStartOf(source, offset);
  return lineStart === 0 ? '' : source.slice(lineStartOf(source, lineStart - 1), lineStart);
}

/**
 * One statement's `{ … }` list written one specifier a line, each with the block comments around
 * it, as prettier prints it; undefined when it has fewer than two specifiers or does not parse.
 */
function brokenStatement(
  text: string,
  indent: string,
  style: FormatStyle,
  eol: '\n' | '\r\n',
  filePath: string,
): string | undefined {
  let statement: Node | undefined;
  let comments: { start: number; end: number }[];
  try {
    const ast = parseSource(text, filePath);
    statement = ast.program.body[0];
    comments = (ast.comments ?? []).map((c) => ({ start: c.start ?? 0, end: c.end ?? 0 }));
  } catch {
    return undefined;
  }
  if (!statement || !('specifiers' in statement) || !Array.isArray(statement.specifiers))
    return undefined;
  const specs = (statement.specifiers as Node[]).filter(
    (s) => s.type === 'ImportSpecifier' || s.type === 'ExportSpecifier',
  );
  const first = specs[0];
  const last = specs.at(-1);
  if (!first || !last || specs.length < 2) return undefined;
  const inComment = (at: number) => comments.some((c) => c.start <= at && at < c.end);
  const find = (char: string, from: number, step: 1 | -1) => {
    for (let at = from; at >= 0 && at < text.length; at += step)
      if (text[at] === char && !inComment(at)) return at;
    return -1;
  };
  const open = find('{', (first.start ?? 0) - 1, -1);
  const close = find('}', last.end ?? 0, 1);
  if (open < 0 || close < 0) return undefined;
  // Each specifier with the comments up to its comma: the text between the commas.
  const cuts = specs.slice(0, -1).map((s) => find(',', s.end ?? 0, 1));
  const trailing = find(',', last.end ?? 0, 1);
  const ends = [...cuts, trailing >= 0 && trailing < close ? trailing : close];
  const pieces = ends.map((to, i) =>
    text.slice(i === 0 ? open + 1 : (ends[i - 1] as number) + 1, to).trim(),
  );
  if (pieces.some((p) => p === '' || p.includes('//'))) return undefined;
  const step = style.useTabs ? '\t' : ' '.repeat(style.tabWidth);
  const comma = style.trailingComma === 'none' ? '' : ',';
  const list = `{${eol}${pieces.map((p) => `${indent}${step}${p}`).join(`,${eol}`)}${comma}${eol}${indent}}`;
  return `${text.slice(0, open)}${list}${text.slice(close + 1)}`;
}
