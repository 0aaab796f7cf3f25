import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Statement } from '@babel/types';
import { DEFAULT_IGNORES } from '../codemod/discovery';
import { resolveRelative } from '../codemod/module-exports';
import { parseSource, ParseFailure } from '../codemod/parse';
import { mapSpecifier, readPathMapping, type PathMapping } from '../codemod/tsconfig-paths';

// How many files import each export of some files: relative imports, tsconfig aliases and
// baseUrl, the repository's own workspace packages (`@acme/core` → packages/core/src/index.ts),
// with index files and extensions as TypeScript resolves them, and through barrels — a file that
// re-exports a target's names passes its importers on. A namespace import or `export *` of a
// file counts as importing every one of its exports.

/** A file's exports whose importers are counted, by the file's absolute path. */
export type Targets = ReadonlyMap<string, ReadonlySet<string>>;

/** Where a name a file exports comes from: a target and its export name (`*`: all of them). */
interface Origin {
  target: string;
  name: string;
}

/** What a target or barrel exports: names with their origins, and files it re-exports whole. */
interface Source {
  named: Map<string, Origin[]>;
  all: Set<string>;
}

/** The text a file that imports `file` must contain: its base name, or its directory's for index. */
export function importNeedle(file: string): string {
  const name = basename(file).replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
  return name === 'index' ? basename(dirname(file)) : name;
}

/** Barrels of barrels are followed this deep. */
const MAX_PASSES = 4;

/** The repository's own packages (package.json outside node_modules), by name → entry file. */
export function workspacePackages(
  root: string,
): Map<string, { dir: string; entry: string | undefined }> {
  const found = new Map<string, { dir: string; entry: string | undefined }>();
  const ignore = new Set(DEFAULT_IGNORES);
  const visit = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'package.json')) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: unknown;
          source?: unknown;
          main?: unknown;
        };
        if (typeof pkg.name === 'string') {
          const declared = [pkg.source, pkg.main].filter((p): p is string => typeof p === 'string');
          const entry = [...declared, './src/index', './index', './lib/index']
            .map((p) =>
              resolveRelative(p.startsWith('.') ? p : `./${p}`, join(dir, 'package.json')),
            )
            .find(
              (file) =>
                file !== undefined &&
                !file.endsWith('.d.ts') &&
                !file.includes(`${join(dir, 'dist')}`),
            );
          found.set(pkg.name, { dir, entry });
        }
      } catch {
        // not JSON: not a package to resolve
      }
    }
    if (depth === 0) return;
    for (const e of entries)
      if (e.isDirectory() && !ignore.has(e.name) && !e.name.startsWith('.'))
        visit(join(dir, e.name), depth - 1);
  };
  visit(root, 4);
  return found;
}

export class ImporterCounter {
  private readonly mapping: PathMapping | undefined;
  private readonly packages: Map<string, { dir: string; entry: string | undefined }>;
  private readonly sources = new Map<string, Source>();
  /** Importing files by target and export name (`*` for whole-module uses). */
  private readonly counts = new Map<string, Map<string, Set<string>>>();

  constructor(root: string, targets: Targets) {
    const tsconfig = join(root, 'tsconfig.json');
    this.mapping = existsSync(tsconfig) ? readPathMapping(tsconfig) : undefined;
    this.packages = workspacePackages(root);
    for (const [file, names] of targets)
      this.sources.set(file, {
        named: new Map([...names].map((name) => [name, [{ target: file, name }]])),
        all: new Set(),
      });
  }

  /** Texts a file importing `file` contains: its name, its package's name, exact aliases. */
  private needlesOf(file: string): string[] {
    const needles = [importNeedle(file)];
    for (const [name, pkg] of this.packages) if (pkg.entry === file) needles.push(name);
    for (const pattern of Object.keys(this.mapping?.paths ?? {}))
      if (!pattern.includes('*')) needles.push(pattern);
    return needles;
  }

  /** The file a specifier names from `fromFile`, when it is a target or a barrel of one. */
  private resolve(specifier: string, fromFile: string): string | undefined {
    let candidates: (string | undefined)[];
    if (specifier.startsWith('.')) candidates = [resolveRelative(specifier, fromFile)];
    else {
      // mapSpecifier gives absolute paths without extensions: resolveRelative probes them.
      candidates = this.mapping
        ? mapSpecifier(this.mapping, specifier).map((base) => resolveRelative(base, fromFile))
        : [];
      for (const [name, pkg] of this.packages) {
        if (specifier === name) candidates.push(pkg.entry);
        else if (specifier.startsWith(`${name}/`)) {
          const sub = specifier.slice(name.length + 1);
          candidates.push(
            resolveRelative(`./${sub}`, join(pkg.dir, 'x')),
            resolveRelative(`./src/${sub}`, join(pkg.dir, 'x')),
          );
        }
      }
    }
    return candidates.find((file) => file !== undefined && this.sources.has(file));
  }

  /** The origins of `name` as `file` exports it (through its named re-exports and `export *`). */
  private originsOf(file: string, name: string, seen = new Set<string>()): Origin[] {
    const source = this.sources.get(file);
    if (!source || seen.has(file)) return [];
    seen.add(file);
    if (name === '*') {
      const all: Origin[] = [];
      for (const origins of source.named.values()) all.push(...origins);
      for (const whole of source.all) all.push(...this.originsOf(whole, '*', seen));
      return all;
    }
    const found = [...(source.named.get(name) ?? [])];
    for (const whole of source.all) found.push(...this.originsOf(whole, name, seen));
    return found;
  }

  private record(origins: readonly Origin[], importer: string): void {
    for (const { target, name } of origins) {
      if (target === importer) continue;
      const byName = this.counts.get(target) ?? new Map<string, Set<string>>();
      this.counts.set(target, byName);
      const files = byName.get(name) ?? new Set<string>();
      byName.set(name, files);
      files.add(importer);
    }
  }

  /** Records a file's imports of targets and barrels; its re-exports of them make it a barrel. */
  private visit(file: string, body: readonly Statement[]): void {
    const becomeBarrel = (): Source => {
      const source = this.sources.get(file) ?? { named: new Map(), all: new Set() };
      this.sources.set(file, source);
      return source;
    };
    for (const statement of body) {
      if (
        statement.type !== 'ImportDeclaration' &&
        statement.type !== 'ExportNamedDeclaration' &&
        statement.type !== 'ExportAllDeclaration'
      )
        continue;
      if (!statement.source) continue;
      const from = this.resolve(statement.source.value, file);
      if (!from || from === file) continue;
      if (statement.type === 'ExportAllDeclaration') {
        this.record(this.originsOf(from, '*'), file);
        becomeBarrel().all.add(from);
        continue;
      }
      for (const specifier of statement.specifiers) {
        const s = specifier as {
          type: string;
          imported?: { type: string; name?: string; value?: string };
          local?: { name: string };
          exported?: { type: string; name?: string; value?: string };
        };
        const nameOf = (n?: { type: string; name?: string; value?: string }) =>
          n?.type === 'Identifier' ? (n.name as string) : (n?.value as string);
        const imported =
          s.type === 'ImportNamespaceSpecifier' || s.type === 'ExportNamespaceSpecifier'
            ? '*'
            : s.type === 'ImportDefaultSpecifier' || s.type === 'ExportDefaultSpecifier'
              ? 'default'
              : s.type === 'ImportSpecifier'
                ? nameOf(s.imported)
                : (s.local?.name as string);
        const origins = this.originsOf(from, imported);
        this.record(origins, file);
        if (statement.type === 'ExportNamedDeclaration' && origins.length > 0) {
          const source = becomeBarrel();
          const exported = nameOf(s.exported);
          if (!source.named.has(exported)) source.named.set(exported, origins);
        }
      }
    }
  }

  /**
   * Counts the importers among `files` (absolute paths), reading each with `read`. A file that
   * re-exports a target is a barrel: another pass counts the files importing it, as importers of
   * the target.
   */
  count(files: readonly string[], read: (file: string) => string | undefined): void {
    let needles = [...this.sources.keys()].flatMap((file) => this.needlesOf(file));
    for (let pass = 0; pass < MAX_PASSES && needles.length > 0; pass++) {
      const before = new Set(this.sources.keys());
      for (const file of files) {
        const text = read(file);
        if (text === undefined || !needles.some((needle) => text.includes(needle))) continue;
        let body: Statement[];
        try {
          body = parseSource(text, file).program.body;
        } catch (error) {
          if (error instanceof ParseFailure) continue;
          throw error;
        }
        this.visit(file, body);
      }
      needles = [...this.sources.keys()]
        .filter((file) => !before.has(file))
        .flatMap((file) => this.needlesOf(file));
    }
  }

  /** Files importing `names` of `file` (whole-module uses included). */
  importersOf(file: string, names: readonly string[]): number {
    const byName = this.counts.get(file);
    if (!byName) return 0;
    const files = new Set<string>(byName.get('*') ?? []);
    for (const name of names) for (const importer of byName.get(name) ?? []) files.add(importer);
    return files.size;
  }
}
