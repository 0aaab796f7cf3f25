import { relative } from 'node:path';
import type { ExportNamedDeclaration, ImportDeclaration } from '@babel/types';
import { canonicalTargetOf, exportFor } from '../manifest/targets';
import type { Manifest, ManifestEntry } from '../manifest/types';
import { findSites, type Site } from './codemod/legacy-to-canonical';
import type { ModuleResolver } from './codemod/module-resolver';
import { parseSource, ParseFailure } from './codemod/parse';
import { discoverSourceFiles, isRegularFile, readListedFile } from './codemod/discovery';

/** One place a legacy module is named. */
export interface LegacyUse {
  file: string;
  line: number;
  code: string;
  specifier: string;
}

export interface UsesReport {
  uses: LegacyUse[];
  scanned: number;
  /** Files that mention a legacy module but do not parse (file:line). */
  unparsable: { file: string; line: number; message: string }[];
}

/**
 * Every legacy specifier in a tree, by module identity, with the same prefilter as the runner.
 * `eachFile` sees every source file's text once, for callers that look for more in the same read.
 * In a git work tree only the files git tracks and (unless `untracked: false`) the untracked ones
 * that .gitignore does not ignore are read; any other directory is walked whole.
 */
export function findLegacyUses(
  root: string,
  resolver: ModuleResolver,
  eachFile?: (path: string, source: string) => void,
  options: { untracked?: boolean } = {},
): UsesReport {
  const files = discoverSourceFiles(root, { untracked: options.untracked ?? true });
  const uses: LegacyUse[] = [];
  const unparsable: UsesReport['unparsable'] = [];
  for (const file of files) {
    const bytes = readListedFile(file);
    if (!bytes) continue;
    const source = bytes.toString('utf8');
    eachFile?.(relative(root, file), source);
    if (!resolver.needles.some((needle) => source.includes(needle)) || !isRegularFile(file))
      continue;
    const path = relative(root, file);
    try {
      for (const site of findSites(parseSource(source, file))) {
        const entry = resolver.resolve(site.literal.value, file);
        if (entry && !stillValid(site, entry, resolver.manifest))
          uses.push({
            file: path,
            line: site.literal.loc?.start.line ?? 0,
            code: entry.code,
            specifier: site.literal.value,
          });
      }
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
      unparsable.push({ file: path, line: error.line, message: error.message });
    }
  }
  return { uses, scanned: files.length, unparsable };
}

/**
 * A site that is not a legacy use although it names a legacy module: an import or re-export of
 * names that all stay (a partial deprecation), or a `declare module` augmenting a builtin the
 * manifest moves to `node:` (the codemod leaves it, since rewritten it would augment another module).
 */
function stillValid(site: Site, entry: ManifestEntry, manifest: Manifest): boolean {
  if (site.kind === 'declare-module') return canonicalTargetOf(manifest, entry).kind === 'builtin';
  if (site.kind !== 'import' && site.kind !== 'export-named') return false;
  const node = site.node as ImportDeclaration | ExportNamedDeclaration;
  const names = node.specifiers.map((spec) =>
    spec.type === 'ImportSpecifier'
      ? spec.imported.type === 'Identifier'
        ? spec.imported.name
        : spec.imported.value
      : spec.type === 'ExportSpecifier'
        ? spec.local.name
        : undefined,
  );
  return (
    names.length > 0 &&
    names.every((name) => name !== undefined && exportFor(entry, name)?.rewrite === 'stays')
  );
}
