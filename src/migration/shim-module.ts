import type { ExportNamedDeclaration, Node } from '@babel/types';
import { extname } from 'node:path';
import type { ManifestSource } from '../manifest/render';
import { canonicalTargetOf } from '../manifest/targets';
import type { Manifest, ManifestEntry } from '../manifest/types';
import { applyEdits, type TextEdit } from './codemod/edits';
import type { ExtensionStyle } from './import-extension';
import { parseSource } from './codemod/parse';
import { blockPosition, placeBlock, shimBlock } from './shim-block';
import { runtimeCallCode } from './shim-call';
import { exportList, jsdocTag, tagOf } from './shim-jsdoc';
import {
  isList,
  keptExports,
  movedExports,
  planExports,
  type KeptExport,
  type MovedExport,
} from './shim-plan';
import { headerComments, importClause, mergeRemovals, statementRange } from './shim-ranges';
import { sweep } from './shim-sweep';
import { repositoryPath } from './codemod/markers';

// `unified-ws shim`: a legacy file of a team's manifest rewritten into a thin module, by text edits
// of the original (so every byte of what stays keeps its quotes, comments and layout):
// - every export that moves (same-object, rename, or under a same-object "*") loses its
//   declaration and is re-exported from the entry's canonical target: the canonical object itself;
// - manual and call-rewrite exports keep their implementation, `stays` and unlisted ones too;
// - top-level declarations and imports nothing kept uses any more go;
// - every deprecated export carries `@deprecated CODE: …` with the team's own hint: `unified-ws
//   migrate --manifest <its file>` for what the codemod moves, and the manifest's docs;
// - after the imports, one call of unified-ws's deprecatedModule() with the entry, generated from
//   the manifest, registers the team's code and reports each import of the module.

export { RUNTIME_CALL, RUNTIME_PACKAGE, runtimeCallCode } from './shim-call';
export type { KeptExport, MovedExport } from './shim-plan';

/** A file `shim` cannot rewrite safely: nothing of its step is written. */
export class ShimRefusal extends Error {
  override name = 'ShimRefusal' as const;
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

export interface ShimFileResult {
  /** The file, relative to the repository root. */
  path: string;
  /** `already-shim`: it has the runtime call for this code, and is left alone. */
  status: 'shimmed' | 'already-shim';
  /** The new text (absent when the file is left alone). */
  output?: string;
  moved: MovedExport[];
  kept: KeptExport[];
  /** What the shim could not do, for people (a kept `export *`, a type export of a JS file). */
  notes: string[];
}

export interface ShimOptions {
  manifest: Manifest;
  entry: ManifestEntry;
  /** The installed version of a package, for the manifest's version conditions. */
  installedVersion?: (packageName: string) => string | undefined;
  /**
   * The repository root (`path` is relative to it): a file without relative imports of its own
   * takes its project's extension convention for the canonical target (projectExtensionStyle).
   */
  root?: string;
  /** The project conventions found so far in this run. */
  styles?: Map<string, ExtensionStyle>;
}

/**
 * The shim of one legacy file of an entry: its new text, what moves and what stays. Throws a
 * ShimRefusal for what it cannot rewrite safely (a declaration that both moves and stays, `export
 * =`, a file that is already the shim of another code), and a ParseFailure for a file that does
 * not parse.
 */
export function shimModule(source: string, path: string, options: ShimOptions): ShimFileResult {
  const { manifest, entry } = options;
  const ast = parseSource(source, path);
  const body = ast.program.body;
  const comments = ast.comments ?? [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const refuse = (node: Node, message: string): never => {
    throw new ShimRefusal(path, lineOf(node.start ?? 0), message);
  };
  const shimOf = runtimeCallCode(body);
  if (shimOf === entry.code)
    return { path, status: 'already-shim', moved: [], kept: [], notes: [] };
  if (shimOf !== undefined)
    refuse(body[0] as Node, `already the shim of ${shimOf}, not of ${entry.code}`);

  const isJs = /\.[cm]?jsx?$/.test(extname(path));
  // Outside the repository (or read from no file: undefined root), the manifest is not named.
  const file =
    manifest.file === undefined
      ? undefined
      : options.root === undefined
        ? manifest.file.replace(/\\/g, '/')
        : repositoryPath(manifest.file, options.root);
  const texts: ManifestSource = {
    ...(manifest.docs === undefined ? {} : { docs: manifest.docs }),
    ...(file === undefined ? {} : { file }),
  };
  const target = canonicalTargetOf(manifest, entry);
  const notes: string[] = [];
  const plan = planExports(ast.program, {
    path,
    entry,
    target,
    isJs,
    installedVersion: options.installedVersion,
    refuse,
    lineOf,
    notes,
  });
  const { byStatement, removed } = plan;
  const { usedNames, liveImports, swept } = sweep(ast.program, plan);

  // The edits of the original text.
  const edits: TextEdit[] = [];
  const removals: { start: number; end: number }[] = [];
  const header = headerComments(source, body, comments);
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') {
      const kept = statement.specifiers.filter((s) => liveImports.has(s));
      if (statement.specifiers.length === 0 || kept.length === statement.specifiers.length)
        continue;
      if (kept.length === 0) removals.push(statementRange(source, statement, comments, header));
      else edits.push(importClause(source, statement, kept));
      continue;
    }
    if (removed.has(statement) || swept(statement))
      removals.push(statementRange(source, statement, comments, header));
  }
  const tagged = new Set<Node>();
  for (const [statement, list] of byStatement) {
    if (removed.has(statement)) continue;
    if (isList(list[0])) {
      const edit = exportList(source, statement as ExportNamedDeclaration, list, (site) =>
        tagOf(texts, entry, site),
      );
      if (edit === 'remove') removals.push(statementRange(source, statement, comments, header));
      else if (edit) edits.push(edit);
      continue;
    }
    const tags = list.map((site) => tagOf(texts, entry, site)).filter((t): t is string => !!t);
    if (tags.length === 0 || tagged.has(statement)) continue;
    tagged.add(statement);
    const edit = jsdocTag(source, statement, comments, [...new Set(tags)]);
    if (edit) edits.push(edit);
  }
  // Where the block goes: after the last import that stays, or where the file's content starts
  // (after its header comments); a placeholder marks it while the rest is edited.
  const removalEdits = mergeRemovals(source, removals);
  const importsStay = body.some(
    (s) =>
      s.type === 'ImportDeclaration' &&
      (s.specifiers.length === 0 || s.specifiers.some((x) => liveImports.has(x))),
  );
  let at = blockPosition(source, body, comments, header, liveImports);
  for (const removal of removalEdits)
    if (removal.start < at && at < removal.end) at = removal.start;
  let placeholder = '/*unified-ws shim*/';
  while (source.includes(placeholder)) placeholder = placeholder.replace('*/', '+*/');
  // First: before a tag or a removal at the same place.
  const text1 = applyEdits(source, [
    { start: at, end: at, text: placeholder },
    ...edits,
    ...removalEdits,
  ]);

  // What goes after the imports: bindings of replaced locals that kept code still uses, the
  // runtime call, and the re-exports.
  const moved = movedExports(plan.sites);
  const block = shimBlock({
    source,
    body,
    edited: text1,
    path,
    root: options.root,
    styles: options.styles,
    manifest,
    entry,
    target,
    texts,
    isJs,
    replaced: plan.replaced,
    usedNames,
    moved,
  });
  const output = placeBlock(text1, placeholder, block, importsStay);
  parseSource(output, path); // a bug here must never reach a file
  const kept = keptExports(plan.sites);
  return { path, status: 'shimmed', output, moved, kept, notes };
}
