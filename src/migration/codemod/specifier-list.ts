import type { ImportDeclaration, Node } from '@babel/types';
import { indentAt, lineBreakOf, withLineBreak, type TextEdit } from './edits';
import type { FormatStyle } from './format-style';
import {
  brokenList,
  bringsLineComment,
  inline,
  lineLayout,
  lineOf,
  orderedTexts,
  placeAdded,
  rebuiltList,
  stripComments,
  type Added,
  type Attached,
  type Placement,
} from './specifier-layout';

export type { Attached } from './specifier-layout';

/** A comment's range in the source. */
export interface CommentRange {
  start: number;
  end: number;
}

/**
 * The `{ … }` list of one import declaration, edited as a whole: specifiers replaced, removed and
 * added are collected, then written as edits in one go, so no two edits of a list collide.
 *
 * A list without comments is rebuilt in its own layout (one line, or one specifier a line with its
 * indentation and trailing comma), or, in a project with a prettier config, as prettier prints it:
 * on one line when the statement fits `printWidth`, else one specifier a line. A list with
 * comments is edited in place, each comment staying with the specifier it belongs to; a one-line
 * list that receives a `//` comment is broken to one specifier a line instead. How a list is laid
 * out is specifier-layout.ts; this is what changes in it, and where its comments are.
 */
export class SpecifierList {
  private readonly replaced = new Map<Node, string>();
  private readonly removed = new Set<Node>();
  private readonly added: Added[] = [];
  /** The module specifier as it will be written (quotes included), when it changes. */
  specifier: string | undefined;

  constructor(
    private readonly source: string,
    readonly node: ImportDeclaration,
    private readonly comments: readonly CommentRange[],
  ) {}

  replace(spec: Node, text: string): void {
    if (text !== this.text(spec)) this.replaced.set(spec, text);
  }

  remove(spec: Node): void {
    this.removed.add(spec);
  }

  add(text: string, comments?: Attached): void {
    const carries = comments && (comments.leading.length > 0 || comments.trailing !== undefined);
    this.added.push({ text, comments: carries ? comments : undefined });
  }

  /** The comments of one of this list's specifiers: those in front of it and after it on its line. */
  commentsOf(spec: Node): Attached {
    // As a removal takes them: whole lines in a list of one specifier a line, else within its line.
    const start = this.leadStart(spec, this.multiline);
    const leading = this.comments
      .filter((c) => c.start >= start && c.end <= (spec.start ?? 0))
      .map((c) => this.source.slice(c.start, c.end));
    const lineEnd = this.lineEnd(spec.end ?? 0);
    const next = (this.node.specifiers as Node[]).find((s) => (s.start ?? 0) > (spec.start ?? 0));
    const limit = next && (next.start ?? 0) < lineEnd ? this.leadStart(next, false) : lineEnd;
    const trailing = this.comments.find(
      (c) =>
        c.start >= (spec.end ?? 0) &&
        c.end <= limit &&
        /^[\s,]*$/.test(this.source.slice(spec.end ?? 0, c.start)),
    );
    return { leading, trailing: trailing && this.source.slice(trailing.start, trailing.end) };
  }

  get touched(): boolean {
    return this.replaced.size > 0 || this.removed.size > 0 || this.added.length > 0;
  }

  edits(style: FormatStyle | undefined): TextEdit[] {
    const specs = this.node.specifiers as Node[];
    const first = specs[0];
    const last = specs.at(-1);
    if (!this.touched || !first || !last) return [];
    const open = this.before('{', first.start ?? 0);
    const close = this.after('}', last.end ?? 0);
    if (open < 0 || close < 0) return [];
    const inside =
      this.comments.some((c) => c.start > open && c.end <= close) ||
      this.added.some((a) => a.comments !== undefined);
    return inside
      ? this.inPlace(specs, open, close, style)
      : [{ start: open, end: close + 1, text: this.rebuilt(specs, open, close, style) }];
  }

  private text(node: Node): string {
    return this.source.slice(node.start ?? 0, node.end ?? 0);
  }

  /** Whether the list is written one specifier a line: its first after a line break. */
  private get multiline(): boolean {
    const first = this.node.specifiers[0]?.start ?? 0;
    return this.source.slice(this.before('{', first), first).includes('\n');
  }

  private inComment(position: number): boolean {
    return this.comments.some((c) => c.start <= position && position < c.end);
  }

  private before(char: string, from: number): number {
    let at = this.source.lastIndexOf(char, from);
    while (at >= 0 && this.inComment(at)) at = this.source.lastIndexOf(char, at - 1);
    return at;
  }

  private after(char: string, from: number): number {
    let at = this.source.indexOf(char, from);
    while (at >= 0 && this.inComment(at)) at = this.source.indexOf(char, at + 1);
    return at;
  }

  /** Where the added specifiers go among the kept ones. */
  private placement(specs: readonly Node[]): Placement {
    const kept = specs.filter((s) => !this.removed.has(s));
    return placeAdded(specs, kept, this.added, (s) => this.text(s));
  }

  private rebuilt(
    specs: readonly Node[],
    open: number,
    close: number,
    style?: FormatStyle,
  ): string {
    const kept = specs.filter((s) => !this.removed.has(s));
    const textOf = (s: Node) => this.replaced.get(s) ?? this.text(s);
    const texts = orderedTexts(kept, this.placement(specs), textOf);
    const { source, node, specifier } = this;
    return rebuiltList({ source, node, specs, open, close, specifier }, texts, style);
  }

  /** Edits that keep every comment with its specifier (a list that has comments). */
  private inPlace(
    specs: readonly Node[],
    open: number,
    close: number,
    style: FormatStyle | undefined,
  ): TextEdit[] {
    const edits: TextEdit[] = [];
    const source = this.source;
    const multiline = this.multiline;
    if (!multiline && this.added.some(bringsLineComment))
      return [{ start: open, end: close + 1, text: this.broken(specs, open, close, style) }];
    const trailing = /,/.test(stripComments(source.slice(specs.at(-1)?.end ?? 0, close)));
    for (const [spec, text] of this.replaced)
      edits.push({ start: spec.start ?? 0, end: spec.end ?? 0, text });
    const kept = specs.filter((s) => !this.removed.has(s));
    const lastKept = kept.at(-1);
    // Runs of removed specifiers, each deleted with the comments and separator that belong to it.
    for (let i = 0; i < specs.length; i++) {
      if (!this.removed.has(specs[i] as Node)) continue;
      let j = i;
      while (j + 1 < specs.length && this.removed.has(specs[j + 1] as Node)) j++;
      const next = specs[j + 1];
      const previous = specs[i - 1];
      if (multiline) {
        const from = previous ? this.lineEnd(previous.end ?? 0) + 1 : this.lineEnd(open) + 1;
        const to = next
          ? this.lineStart(this.leadStart(next, true))
          : this.lineEnd(specs[j]?.end ?? 0) + 1;
        edits.push({ start: from, end: Math.max(from, to), text: '' });
        if (!next && !trailing && previous && this.added.length === 0) {
          const comma = this.after(',', previous.end ?? 0);
          if (comma >= 0 && comma < from) edits.push({ start: comma, end: comma + 1, text: '' });
        }
      } else if (next) {
        edits.push({
          start: this.leadStart(specs[i] as Node, false),
          end: this.leadStart(next, false),
          text: '',
        });
      } else {
        const from = previous ? (previous.end ?? 0) : this.leadStart(specs[i] as Node, false);
        edits.push({ start: from, end: this.trailEnd(specs[j] as Node), text: '' });
      }
      i = j;
    }
    const { before, atEnd } = this.placement(specs);
    const eol = lineBreakOf(source);
    for (const [spec, items] of before) {
      const at = multiline
        ? this.lineStart(this.leadStart(spec, true))
        : this.leadStart(spec, false);
      const indent = multiline ? (/^[ \t]*/.exec(source.slice(at))?.[0] ?? '') : '';
      const texts = items.map((a) =>
        multiline ? `${lineOf(a, indent, true)}\n` : `${inline(a)}, `,
      );
      edits.push({ start: at, end: at, text: withLineBreak(texts.join(''), eol) });
    }
    if (atEnd.length > 0 && lastKept) {
      if (multiline) {
        const indent = indentAt(source, lastKept.start ?? 0);
        const lastTrailing = /^\s*,/.test(stripComments(source.slice(lastKept.end ?? 0, close)));
        if (!lastTrailing)
          edits.push({ start: lastKept.end ?? 0, end: lastKept.end ?? 0, text: ',' });
        const lineEnd = this.lineEnd(lastKept.end ?? 0);
        const at = source[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd; // before CRLF's `\r`
        const text = atEnd
          .map((a, i) => `\n${lineOf(a, indent, lastTrailing || i < atEnd.length - 1)}`)
          .join('');
        edits.push({ start: at, end: at, text: withLineBreak(text, eol) });
      } else {
        const at = this.trailEnd(lastKept);
        edits.push({ start: at, end: at, text: atEnd.map((a) => `, ${inline(a)}`).join('') });
      }
    }
    return edits;
  }

  /**
   * A one-line list broken to one specifier a line, as a `//` comment it receives needs (prettier
   * breaks such a list too): kept specifiers with their inline comments, added ones with theirs.
   */
  private broken(specs: readonly Node[], open: number, close: number, style?: FormatStyle): string {
    const { source } = this;
    const range = (s: Node) => ({ from: this.leadStart(s, false), to: this.trailEnd(s) });
    // A kept specifier is written with the inline comments around it, as they are.
    const own = (s: Node): Added => {
      const { from, to } = range(s);
      const text = `${source.slice(from, s.start ?? 0)}${this.replaced.get(s) ?? this.text(s)}`;
      return { text: `${text}${source.slice(s.end ?? 0, to)}`, comments: undefined };
    };
    const { before, atEnd } = this.placement(specs);
    const kept = specs.filter((s) => !this.removed.has(s));
    const items = [...kept.flatMap((s) => [...(before.get(s) ?? []), own(s)]), ...atEnd];
    const ranges = specs.map(range);
    const strays = this.comments
      .filter((c) => c.start > open && c.end <= close)
      .filter((c) => !ranges.some(({ from, to }) => from <= c.start && c.end <= to))
      .map((c) => source.slice(c.start, c.end));
    const indent = /^[ \t]*/.exec(source.slice(this.lineStart(this.node.start ?? 0)))?.[0] ?? '';
    const layout = lineLayout(source, (at) => this.inComment(at), style);
    return brokenList(items, strays, indent, layout);
  }

  private lineStart(at: number): number {
    return this.source.lastIndexOf('\n', at - 1) + 1;
  }

  /** The position of the line break ending the line that holds `at` (past its comments). */
  private lineEnd(at: number): number {
    let position = at;
    for (;;) {
      const end = this.source.indexOf('\n', position);
      if (end < 0) return this.source.length;
      if (!this.inComment(end)) return end;
      position = end + 1;
    }
  }

  /** Where a specifier's own text starts: before the comments just in front of it. */
  private leadStart(spec: Node, wholeLines: boolean): number {
    let start = spec.start ?? 0;
    for (const comment of [...this.comments].sort((a, b) => b.start - a.start)) {
      if (comment.end > start) continue;
      const gap = this.source.slice(comment.end, start);
      if (wholeLines ? /^\s*$/.test(gap) && !/^[^\n]*,/.test(gap) : /^[ \t]*$/.test(gap)) {
        // A comment on the previous specifier's line (after its comma) belongs to that one.
        if (
          wholeLines &&
          !/^[ \t]*$/.test(this.source.slice(this.lineStart(comment.start), comment.start))
        )
          break;
        start = comment.start;
      } else break;
    }
    return start;
  }

  /** Where a specifier's text ends: after block comments that follow it before a `,` or `}`. */
  private trailEnd(spec: Node): number {
    let end = spec.end ?? 0;
    for (const comment of [...this.comments].sort((a, b) => a.start - b.start)) {
      if (comment.start < end) continue;
      if (
        /^[ \t]*$/.test(this.source.slice(end, comment.start)) &&
        !this.source.slice(comment.start, comment.end).startsWith('//')
      )
        end = comment.end;
      else break;
    }
    return end;
  }
}
