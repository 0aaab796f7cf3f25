import type { ImportDeclaration, Node } from '@babel/types';
import { lineBreakOf, withLineBreak } from './edits';
import type { FormatStyle } from './format-style';

/**
 * How a `{ … }` specifier list is laid out when it is written: where added names go (sorted
 * position or the end), a list rebuilt on one line or one specifier a line (as the list was, or as
 * prettier prints it), and an added specifier printed with the comments it brings. The list model
 * that decides what changes is SpecifierList (specifier-list.ts).
 */

/** The comments that belong to a specifier, carried along when it moves to another list. */
export interface Attached {
  leading: string[];
  trailing: string | undefined;
}

/** A specifier added to a list, with the comments it brings from where it was. */
export interface Added {
  text: string;
  comments: Attached | undefined;
}

/** Where added specifiers go: in front of a kept specifier, or after the last one. */
export interface Placement {
  before: Map<Node, Added[]>;
  atEnd: Added[];
}

/** The name a specifier text or node sorts by: the imported name, `type` aside. */
const sortName = (text: string) => text.replace(/^type\s+/, '').split(/\s/)[0] ?? '';

/** The two orders lists are kept in: case-insensitive, and by code point (capitals first). */
const ORDERS: ((a: string, b: string) => number)[] = [
  (a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0),
  (a, b) => (a < b ? -1 : a > b ? 1 : 0),
];

/** Lists of this many names or more, already in order, get added names in sorted position. */
const SORTED_AT_LEAST = 3;

/**
 * Where each added specifier goes: in sorted position when the list (`specs`, as written) is
 * sorted, else at the end. `kept` are the specifiers that stay; `textOf` gives a node's source.
 */
export function placeAdded(
  specs: readonly Node[],
  kept: readonly Node[],
  added: readonly Added[],
  textOf: (node: Node) => string,
): Placement {
  const names = specs.map((s) => sortName(textOf(s)));
  const order =
    names.length >= SORTED_AT_LEAST
      ? ORDERS.find((compare) =>
          names.every((name, i) => i === 0 || compare(names[i - 1] as string, name) <= 0),
        )
      : undefined;
  const before = new Map<Node, Added[]>();
  const atEnd: Added[] = [];
  for (const item of added) {
    const next = order
      ? kept.find((s) => order(sortName(textOf(s)), sortName(item.text)) > 0)
      : undefined;
    if (next) before.set(next, [...(before.get(next) ?? []), item]);
    else atEnd.push(item);
  }
  return { before, atEnd };
}

/** The final specifier texts: the kept ones (as `textOf` writes them) with the added in place. */
export function orderedTexts(
  kept: readonly Node[],
  { before, atEnd }: Placement,
  textOf: (node: Node) => string,
): string[] {
  const texts = kept.flatMap((s) => [...(before.get(s) ?? []).map((a) => a.text), textOf(s)]);
  return [...texts, ...atEnd.map((a) => a.text)];
}

/** A specifier list in its source: the declaration, its specifiers and its `{` and `}`. */
export interface ListShape {
  source: string;
  node: ImportDeclaration;
  specs: readonly Node[];
  open: number;
  close: number;
  /** The module specifier as it will be written (quotes included), when it changes. */
  specifier: string | undefined;
}

/**
 * The `{ … }` text of a list without comments, rebuilt with its final specifier texts: in its own
 * layout (one line, or one specifier a line with its indentation and trailing comma), or, with a
 * prettier style, as prettier prints it: on one line when the statement fits `printWidth`, else
 * one specifier a line.
 */
export function rebuiltList(
  shape: ListShape,
  texts: readonly string[],
  style?: FormatStyle,
): string {
  const { source, node, specs, open, close } = shape;
  const first = specs[0] as Node;
  const last = specs.at(-1) as Node;
  const lineStart = source.lastIndexOf('\n', (node.start ?? 0) - 1) + 1;
  const indent = /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
  const trailing = /,\s*$/.test(source.slice(last.end ?? 0, close));
  const multiline = source.slice(open, first.start ?? 0).includes('\n');
  const eol = lineBreakOf(source);
  if (style) {
    const step = style.useTabs ? '\t' : ' '.repeat(style.tabWidth);
    const prefix = source.slice(node.start ?? 0, open);
    let suffix = source.slice(close + 1, node.end ?? 0);
    if (shape.specifier !== undefined) {
      const literal = node.source;
      suffix =
        source.slice(close + 1, literal.start ?? 0) +
        shape.specifier +
        source.slice(literal.end ?? 0, node.end ?? 0);
    }
    const one = `{ ${texts.join(', ')} }`;
    // Prettier keeps a lone specifier on one line, however long the line.
    if (
      texts.length === 1 ||
      indent.length + prefix.length + one.length + suffix.length <= style.printWidth
    )
      return one;
    const comma = style.trailingComma === 'none' ? '' : ',';
    const lines = texts.map((t) => `${indent}${step}${t}`);
    return withLineBreak(`{\n${lines.join(',\n')}${comma}\n${indent}}`, eol);
  }
  if (multiline) {
    const specIndent = /\n([ \t]*)$/.exec(source.slice(open, first.start ?? 0))?.[1] ?? '  ';
    const closeIndent = /\n([ \t]*)$/.exec(source.slice(open, close))?.[1] ?? indent;
    const lines = texts.map((t) => `${specIndent}${t}`);
    return withLineBreak(`{\n${lines.join(',\n')}${trailing ? ',' : ''}\n${closeIndent}}`, eol);
  }
  const padStart = source.slice(open + 1, first.start ?? 0);
  const padEnd = /\s*$/.exec(source.slice(last.end ?? 0, close))?.[0] ?? '';
  const second = specs[1];
  const separator = second ? source.slice(first.end ?? 0, second.start ?? 0) : ', ';
  return `{${padStart}${texts.join(separator)}${trailing ? ',' : ''}${padEnd}}`;
}

/** An added specifier on lines of its own: its leading comments above it, its trailing one after. */
export function lineOf(added: Added, indent: string, comma: boolean): string {
  const leading = (added.comments?.leading ?? []).map((c) => `${indent}${c}\n`).join('');
  const trailing = added.comments?.trailing;
  return `${leading}${indent}${added.text}${comma ? ',' : ''}${trailing ? ` ${trailing}` : ''}`;
}

/** An added specifier within one line: its comments as block comments around it. */
export function inline(added: Added): string {
  const block = (c: string) => (c.startsWith('//') ? `/* ${c.slice(2).trim()} */` : c);
  const leading = (added.comments?.leading ?? []).map((c) => `${block(c)} `).join('');
  const trailing = added.comments?.trailing;
  return `${leading}${added.text}${trailing ? ` ${block(trailing)}` : ''}`;
}

/** A comment's text taken out, as the code around it reads. */
export const stripComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');

/** Whether an added specifier brings a `//` comment, which cannot sit within one line's list. */
export const bringsLineComment = (added: Added): boolean =>
  [...(added.comments?.leading ?? []), added.comments?.trailing ?? ''].some((c) =>
    c.startsWith('//'),
  );

/** A list of one specifier a line: its indentation step, a comma after the last, line breaks. */
export interface LineLayout {
  step: string;
  comma: boolean;
  eol: '\n' | '\r\n';
}

/**
 * An import or export list whose `{` ends its line (a comment aside): the statement's indentation,
 * then its first specifier's.
 */
const MULTILINE_LIST = new RegExp(
  String.raw`^([ \t]*)(?:import|export)(?:[ \t]+type)?(?:[ \t]+[\w$]+[ \t]*,)?[ \t]*\{` +
    String.raw`[ \t]*(?://[^\n]*)?\r?\n(?:[ \t]*\r?\n)*([ \t]*)(?=\S)`,
  'gm',
);

/** A line that ends with an opening bracket, and the indentation of the line after it. */
const OPENER = /^([ \t]*)\S[^\n]*[{([][ \t]*\r?\n([ \t]*)(?=\S)/gm;

/**
 * The layout of a list broken to one specifier a line: the project's prettier style when it has
 * a prettier config; else as the file's own multi-line import and export lists are written (the
 * indentation step of the first, a trailing comma unless most of them have none); else the file's
 * indentation step and a trailing comma, as prettier's default (`trailingComma: "all"`) writes it.
 */
export function lineLayout(
  source: string,
  inComment: (at: number) => boolean,
  style?: FormatStyle,
): LineLayout {
  const eol = lineBreakOf(source);
  if (style)
    return {
      step: style.useTabs ? '\t' : ' '.repeat(style.tabWidth),
      comma: style.trailingComma !== 'none',
      eol,
    };
  let step: string | undefined;
  let withComma = 0;
  let without = 0;
  for (const match of source.matchAll(MULTILINE_LIST)) {
    const [whole, outer = '', inner = ''] = match;
    if (inComment(match.index + outer.length) || !inner.startsWith(outer) || inner === outer)
      continue;
    let close = source.indexOf('}', match.index + whole.length);
    while (close >= 0 && inComment(close)) close = source.indexOf('}', close + 1);
    if (close < 0) continue;
    step ??= inner.slice(outer.length);
    if (/,\s*$/.test(stripComments(source.slice(match.index + whole.length, close)))) withComma++;
    else without++;
  }
  return { step: step ?? fileIndent(source, inComment), comma: withComma >= without, eol };
}

/** The file's indentation step: what the first line after an opening bracket adds to it. */
function fileIndent(source: string, inComment: (at: number) => boolean): string {
  for (const match of source.matchAll(OPENER)) {
    const [whole, outer = '', inner = ''] = match;
    const opener = match.index + whole.search(/[{([][ \t]*\r?\n/);
    if (inComment(opener) || inComment(match.index + whole.length)) continue;
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return '  ';
}

/**
 * A list written one specifier a line, each with its comments (`//` ones stay line comments), and
 * the comments that belong to no specifier on lines of their own before the `}`.
 */
export function brokenList(
  items: readonly Added[],
  strays: readonly string[],
  indent: string,
  { step, comma, eol }: LineLayout,
): string {
  const inner = `${indent}${step}`;
  const lines = items.map((item, i) => lineOf(item, inner, comma || i < items.length - 1));
  const all = [...lines, ...strays.map((c) => `${inner}${c}`)].join('\n');
  return `{${eol}${withLineBreak(all, eol)}${eol}${indent}}`;
}
