import type { Comment, ImportDeclaration, Node, Statement } from '@babel/types';
import { join } from 'node:path';
import { entryToJson } from '../manifest/entry-json';
import { teamDeprecatedTag, type ManifestSource } from '../manifest/render';
import {
  canonicalOf,
  canonicalSpecifierFrom,
  exportFor,
  type CanonicalTarget,
} from '../manifest/targets';
import type { LegacyExport, Manifest, ManifestEntry } from '../manifest/types';
import { parseSource } from './codemod/parse';
import { topLevelNames } from './codemod/scope';
import {
  ownExtensionStyle,
  projectExtensionStyle,
  specifierExtension,
  type ExtensionStyle,
} from './import-extension';
import {
  literal,
  quoted,
  RUNTIME_CALL,
  RUNTIME_PACKAGE,
  styleOf,
  withoutCanonical,
} from './shim-call';
import { jsdocText } from './shim-jsdoc';
import type { MovedExport } from './shim-plan';

// The block a shim writes after its imports: bindings of replaced locals that kept code still
// uses, the runtime call, and the re-exports from the canonical target; where it goes, and how it
// takes its place in the edited text.

/** What the block of one file is made of. */
export interface BlockInput {
  /** The original text, and its statements. */
  source: string;
  body: readonly Statement[];
  /** The edited text, with the placeholder where the block goes. */
  edited: string;
  /** The file, relative to the repository root. */
  path: string;
  /** The repository root, and the project conventions found so far (ShimOptions). */
  root: string | undefined;
  styles: Map<string, ExtensionStyle> | undefined;
  manifest: Manifest;
  entry: ManifestEntry;
  target: CanonicalTarget;
  /** The manifest's docs and file, for the @deprecated texts and the call. */
  texts: ManifestSource;
  isJs: boolean;
  /** Locals whose declaration the canonical object replaces, and the names kept code uses. */
  replaced: ReadonlyMap<string, { canonical: string; typeOnly: boolean }>;
  usedNames: ReadonlySet<string>;
  moved: readonly MovedExport[];
}

/** The text of the block, in the file's style. */
export function shimBlock(input: BlockInput): string {
  const { source, body, path, manifest, entry, target, texts, isJs, replaced, usedNames, moved } =
    input;
  const style = styleOf(source, body);
  const q = (value: string) => quoted(value, style.quote);
  const semi = style.semicolons ? ';' : '';
  const ast1 = parseSource(input.edited, path);
  const names1 = topLevelNames(ast1.program.body);
  const extensionStyle =
    ownExtensionStyle(body) ??
    (input.root === undefined
      ? 'none'
      : projectExtensionStyle(join(input.root, path), input.root, input.styles));
  const from = q(
    canonicalSpecifierFrom(target, path, {
      extension: target.kind === 'file' ? specifierExtension(extensionStyle, target.path) : '',
    }),
  );
  let call = RUNTIME_CALL;
  for (let i = 2; names1.has(call); i++) call = `${RUNTIME_CALL}${i}`;
  const lines: string[] = [];
  const bindings = [...replaced].filter(([local]) => usedNames.has(local));
  for (const typeOnly of [false, true]) {
    const list = bindings.filter(([, b]) => b.typeOnly === typeOnly && !(isJs && typeOnly));
    if (list.length > 0)
      lines.push(
        `import ${typeOnly ? 'type ' : ''}{ ${list.map(([local, b]) => (b.canonical === local ? local : `${b.canonical} as ${local}`)).join(', ')} } from ${from}${semi}`,
      );
  }
  lines.push(
    `import { ${call === RUNTIME_CALL ? call : `${RUNTIME_CALL} as ${call}`} } from ${q(RUNTIME_PACKAGE)}${semi}`,
    '',
    `${call}(${literal(
      {
        package: manifest.package,
        canonical: canonicalOf(manifest, entry),
        ...(texts.file === undefined && texts.docs === undefined ? {} : { manifest: texts }),
        ...withoutCanonical(entryToJson(entry)),
      },
      style,
      0,
    )})${semi}`,
  );
  for (const typeOnly of [false, true]) {
    const list = moved.filter((m) => m.typeOnly === typeOnly);
    if (list.length === 0) continue;
    if (lines.at(-1) !== '' && !lines.at(-1)?.startsWith('export ')) lines.push('');
    const specifiers = list.map((m) => {
      const exp = exportFor(entry, m.name) as LegacyExport;
      return `${style.indent}/** ${jsdocText(teamDeprecatedTag(texts, entry, exp))} */\n${style.indent}${m.canonical === m.name ? m.name : `${m.canonical} as ${m.name}`},\n`;
    });
    lines.push(`export ${typeOnly ? 'type ' : ''}{\n${specifiers.join('')}} from ${from}${semi}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Where the block of a shim goes in the original text: the line after the last import that stays,
 * or, without one, the line where the file's content starts (after its header comments).
 */
export function blockPosition(
  source: string,
  body: readonly Statement[],
  comments: readonly Comment[],
  header: ReadonlySet<Comment>,
  liveImports: ReadonlySet<Node>,
): number {
  const last = body
    .filter(
      (s): s is ImportDeclaration =>
        s.type === 'ImportDeclaration' &&
        (s.specifiers.length === 0 || s.specifiers.some((x) => liveImports.has(x))),
    )
    .at(-1);
  if (last) {
    let end = last.end ?? 0;
    const trailing = comments.find(
      (c) => (c.start ?? 0) >= end && /^[ \t]*$/.test(source.slice(end, c.start ?? 0)),
    );
    if (trailing) end = trailing.end ?? end;
    const lineEnd = source.indexOf('\n', end);
    return lineEnd < 0 ? source.length : lineEnd + 1;
  }
  const starts = [
    ...(body[0] ? [body[0].start ?? 0] : []),
    ...comments.filter((c) => !header.has(c)).map((c) => c.start ?? 0),
  ];
  if (starts.length === 0) return source.length;
  return source.lastIndexOf('\n', Math.min(...starts) - 1) + 1;
}

/**
 * The block in place of the placeholder: right after the imports, or one blank line after the
 * header; one blank line after it where more follows. The blank lines around are the block's.
 */
export function placeBlock(
  text: string,
  placeholder: string,
  block: string,
  afterImports: boolean,
): string {
  const at = text.indexOf(placeholder);
  let before = text.slice(0, at);
  const after = text.slice(at + placeholder.length).replace(/^(?:[ \t]*\r?\n)+/, '');
  if (/^\s*$/.test(before)) before = '';
  else {
    before = before.replace(/(?:\r?\n[ \t]*)+$/, '\n');
    if (!before.endsWith('\n')) before += '\n';
    if (!afterImports) before += '\n';
  }
  return `${before}${block}${after.trim() === '' ? '' : `\n${after}`}`;
}
