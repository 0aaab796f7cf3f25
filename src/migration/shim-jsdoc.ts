import type { Comment, ExportNamedDeclaration, Node } from '@babel/types';
import { teamDeprecatedTag, type ManifestSource } from '../manifest/render';
import type { ManifestEntry } from '../manifest/types';
import type { TextEdit } from './codemod/edits';
import type { ExportSite } from './shim-exports';
import { ownComments } from './shim-ranges';

// The `@deprecated CODE: …` tags of the exports a shim keeps: into the statement's doc comment (or
// a doc comment of its own), or beside each specifier of an export list.

/** The @deprecated text of an export the shim keeps, or undefined when it takes none. */
export function tagOf(
  source: ManifestSource,
  entry: ManifestEntry,
  site: ExportSite,
): string | undefined {
  const { decision } = site;
  if (decision.kind !== 'keep' || !decision.deprecated || !decision.exp) return undefined;
  return jsdocText(teamDeprecatedTag(source, entry, decision.exp));
}

/** Text that cannot end the comment it goes into. */
export function jsdocText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/**
 * An export list without the specifiers that move, each kept deprecated one with its tag (then
 * one per line, like the built-in shims); 'remove' when nothing is left of it.
 */
export function exportList(
  source: string,
  statement: ExportNamedDeclaration,
  sites: ExportSite[],
  tag: (site: ExportSite) => string | undefined,
): TextEdit | 'remove' | undefined {
  const kept = sites.filter((s) => s.decision.kind !== 'move');
  const tags = kept.map(tag);
  if (kept.length === 0) return 'remove';
  if (kept.length === sites.length && tags.every((t) => t === undefined)) return undefined;
  const first = statement.specifiers[0] as Node;
  const last = statement.specifiers.at(-1) as Node;
  const open = source.lastIndexOf('{', first.start ?? 0);
  const close = /^(?:\s|,|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*\}/.exec(source.slice(last.end ?? 0));
  if (open < 0 || !close) return undefined;
  const text = (site: ExportSite) =>
    source.slice(site.specifier?.start ?? 0, site.specifier?.end ?? 0);
  const indent = /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', open) + 1))?.[0] ?? '';
  const inner = `${indent}  `;
  const list = tags.some((t) => t !== undefined)
    ? `{\n${kept
        .map((site, i) => `${tags[i] ? `${inner}/** ${tags[i]} */\n` : ''}${inner}${text(site)},\n`)
        .join('')}${indent}}`
    : `{ ${kept.map(text).join(', ')} }`;
  return { start: open, end: (last.end ?? 0) + close[0].length, text: list };
}

/** The `@deprecated` lines into the statement's doc comment, or a doc comment of its own. */
export function jsdocTag(
  source: string,
  statement: Node,
  comments: readonly Comment[],
  tags: readonly string[],
): TextEdit | undefined {
  const doc = ownComments(source, statement, comments).at(-1);
  const lineStart = source.lastIndexOf('\n', (statement.start ?? 0) - 1) + 1;
  const atLineStart = /^[ \t]*$/.test(source.slice(lineStart, statement.start ?? 0));
  const indent = atLineStart ? source.slice(lineStart, statement.start ?? 0) : '';
  const lines = (docIndent: string) => tags.map((tag) => `${docIndent} * ${tag}\n`).join('');
  if (!doc || doc.type !== 'CommentBlock' || !doc.value.startsWith('*')) {
    const comment =
      tags.length === 1 ? `/** ${tags[0]} */\n` : `/**\n${lines(indent)}${indent} */\n`;
    return atLineStart
      ? { start: lineStart, end: lineStart, text: `${indent}${comment}` }
      : { start: statement.start ?? 0, end: statement.start ?? 0, text: comment };
  }
  if (/@deprecated\b/.test(doc.value)) return undefined;
  const start = doc.start ?? 0;
  const end = doc.end ?? 0;
  const docIndent =
    /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', start - 1) + 1))?.[0] ?? '';
  if (!doc.value.includes('\n'))
    return {
      start,
      end,
      text: `/**\n${docIndent} * ${doc.value.slice(1).trim()}\n${lines(docIndent)}${docIndent} */`,
    };
  const closing = end - 2;
  const closingLine = source.lastIndexOf('\n', closing) + 1;
  if (/^[ \t]*$/.test(source.slice(closingLine, closing)))
    return { start: closingLine, end: closingLine, text: lines(docIndent) };
  return { start: closing, end: closing, text: `\n${lines(docIndent)}${docIndent} ` };
}
