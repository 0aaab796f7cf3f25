import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Statement } from '@babel/types';
import { resolveRelative } from '../codemod/module-exports';
import { parseSource, ParseFailure } from '../codemod/parse';
import { mapSpecifier, readPathMapping, type PathMapping } from '../codemod/tsconfig-paths';

// How many files import each export of some files: relative imports, tsconfig aliases and
// baseUrl, with index files and extensions as TypeScript resolves them. A namespace import,
// `export *` or `require` of a file counts as importing every one of its exports.

/** A file's exports whose importers are counted, by the file's absolute path. */
export type Targets = ReadonlyMap<string, ReadonlySet<string>>;

/** Importing files by target file and export name (`*` for whole-module uses). */
export type ImporterCounts = Map<string, Map<string, Set<string>>>;

/** The text a file that imports `file` must contain: its base name, or its directory's for index. */
export function importNeedle(file: string): string {
  const name = basename(file).replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
  return name === 'index' ? basename(dirname(file)) : name;
}

export class ImporterCounter {
  private readonly mapping: PathMapping | undefined;
  readonly counts: ImporterCounts = new Map();
  private readonly needles: string[];

  constructor(
    root: string,
    private readonly targets: Targets,
  ) {
    const tsconfig = join(root, 'tsconfig.json');
    this.mapping = existsSync(tsconfig) ? readPathMapping(tsconfig) : undefined;
    this.needles = [...new Set([...targets.keys()].map(importNeedle))];
    // Exact aliases name a file without its name in them.
    for (const pattern of Object.keys(this.mapping?.paths ?? {}))
      if (!pattern.includes('*')) this.needles.push(pattern);
  }

  /** The file a specifier names from `fromFile`, when it is one of the targets. */
  private target(specifier: string, fromFile: string): string | undefined {
    // mapSpecifier gives absolute paths without extensions: resolveRelative probes them as well.
    const candidates = specifier.startsWith('.')
      ? [resolveRelative(specifier, fromFile)]
      : this.mapping
        ? mapSpecifier(this.mapping, specifier).map((base) => resolveRelative(base, fromFile))
        : [];
    return candidates.find((file) => file !== undefined && this.targets.has(file));
  }

  private count(target: string, name: string, importer: string): void {
    const byName = this.counts.get(target) ?? new Map<string, Set<string>>();
    this.counts.set(target, byName);
    const files = byName.get(name) ?? new Set<string>();
    byName.set(name, files);
    files.add(importer);
  }

  /** Counts the imports of one source file (absolute path) given its text. */
  addFile(file: string, text: string): void {
    if (!this.needles.some((needle) => text.includes(needle))) return;
    let body: Statement[];
    try {
      body = parseSource(text, file).program.body;
    } catch (error) {
      if (error instanceof ParseFailure) return;
      throw error;
    }
    for (const statement of body) {
      if (
        statement.type !== 'ImportDeclaration' &&
        statement.type !== 'ExportNamedDeclaration' &&
        statement.type !== 'ExportAllDeclaration'
      )
        continue;
      if (!statement.source) continue;
      const target = this.target(statement.source.value, file);
      if (!target || target === file) continue;
      if (statement.type === 'ExportAllDeclaration') {
        this.count(target, '*', file);
        continue;
      }
      for (const specifier of statement.specifiers) {
        if (
          specifier.type === 'ImportNamespaceSpecifier' ||
          specifier.type === 'ExportNamespaceSpecifier'
        )
          this.count(target, '*', file);
        else if (
          specifier.type === 'ImportDefaultSpecifier' ||
          specifier.type === 'ExportDefaultSpecifier'
        )
          this.count(target, 'default', file);
        else if (specifier.type === 'ImportSpecifier')
          this.count(
            target,
            specifier.imported.type === 'Identifier'
              ? specifier.imported.name
              : specifier.imported.value,
            file,
          );
        else if (specifier.type === 'ExportSpecifier')
          this.count(target, specifier.local.name, file);
      }
    }
  }

  /** Files importing `name` from `file` (whole-module uses included). */
  importersOf(file: string, names: readonly string[]): number {
    const byName = this.counts.get(file);
    if (!byName) return 0;
    const files = new Set<string>(byName.get('*') ?? []);
    for (const name of names) for (const importer of byName.get(name) ?? []) files.add(importer);
    return files.size;
  }
}
