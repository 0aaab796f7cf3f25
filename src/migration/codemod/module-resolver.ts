import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { legacyPackageSpecifier } from '../../manifest/targets';
import type { Manifest, ManifestEntry } from '../../manifest/types';
import { mapSpecifier, readPathMapping, type PathMapping } from './tsconfig-paths';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];

export interface ResolverOptions {
  /** Repository root: manifest `files` are relative to it. Default: the working directory. */
  root?: string;
  /** A tsconfig whose baseUrl/paths (with `extends`) map aliases. Default: root/tsconfig.json if present. */
  tsconfig?: string;
}

/**
 * Which manifest entry a specifier in a file names — by module identity, not by string: package
 * subpaths, relative paths, tsconfig `paths`/`baseUrl` aliases, index files and extensions
 * (including `./x.js` written for `./x.ts`) all resolve to the same legacy module.
 */
export class ModuleResolver {
  private readonly bySubpath = new Map<string, ManifestEntry>();
  private readonly byFile = new Map<string, ManifestEntry>();
  private readonly mapping: PathMapping | undefined;
  readonly root: string;

  constructor(
    readonly manifest: Manifest,
    options: ResolverOptions = {},
  ) {
    this.root = resolve(options.root ?? process.cwd());
    for (const entry of manifest.entries) {
      // A package subpath, or the whole package (`@scope/old-pkg`, a Node builtin such as `fs`), of
      // the entry's own package or else the manifest's: one manifest can move several packages.
      const specifier = legacyPackageSpecifier(manifest, entry);
      if (specifier !== undefined) this.bySubpath.set(specifier, entry);
      for (const file of entry.files ?? [])
        this.byFile.set(stripExtension(resolve(this.root, file)), entry);
    }
    const tsconfig = options.tsconfig ?? join(this.root, 'tsconfig.json');
    this.mapping =
      this.byFile.size > 0 && existsSync(tsconfig) ? readPathMapping(tsconfig) : undefined;
  }

  /** Texts that every file naming a legacy module must contain: the cheap prefilter. */
  get needles(): string[] {
    const needles = new Set<string>([...this.bySubpath.keys()]);
    for (const file of this.byFile.keys()) {
      const parts = file.split(/[\\/]/);
      const base = parts.at(-1) as string;
      needles.add(base === 'index' ? (parts.at(-2) as string) : base);
    }
    // An alias without `*` ("@ws": ["src/ws/manager.ts"]) names a legacy file without its name.
    for (const pattern of Object.keys(this.mapping?.paths ?? {}))
      if (
        !pattern.includes('*') &&
        this.resolve(pattern, join(this.root, 'index.ts')) !== undefined
      )
        needles.add(pattern);
    return [...needles];
  }

  private readonly versions = new Map<string, string | undefined>();

  /**
   * The version of a package installed for the repository (node_modules of the root or a parent,
   * as Node resolves it); undefined when it is not installed. For `requires` conditions.
   */
  installedVersion(packageName: string): string | undefined {
    if (this.versions.has(packageName)) return this.versions.get(packageName);
    let version: string | undefined;
    for (let dir = this.root; ; dir = dirname(dir)) {
      const pkg = join(dir, 'node_modules', packageName, 'package.json');
      if (existsSync(pkg)) {
        try {
          version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
        } catch {
          version = undefined;
        }
        break;
      }
      if (dirname(dir) === dir) break;
    }
    this.versions.set(packageName, version);
    return version;
  }

  /**
   * The repository file a specifier names when it is one of the manifest's legacy files (through a
   * relative path or a tsconfig alias), so its real exports can be read; undefined otherwise.
   */
  legacyFile(specifier: string, fromFile: string): string | undefined {
    if (this.byFile.size === 0) return undefined;
    const candidates = specifier.startsWith('.')
      ? [resolve(dirname(fromFile), specifier)]
      : this.mapping
        ? mapSpecifier(this.mapping, specifier)
        : [];
    for (const candidate of candidates) {
      for (const base of [stripExtension(candidate), join(candidate, 'index')]) {
        if (!this.byFile.has(base)) continue;
        const file = EXTENSIONS.map((ext) => `${base}${ext}`).find((path) => existsSync(path));
        if (file) return file;
      }
    }
    return undefined;
  }

  /**
   * The type declarations of a legacy package module (`old-lib`, `old-lib/sub`) installed for the
   * repository, so its real exports can be read: `types`/`typings` or the `exports` condition
   * `types` in its package.json, else `<sub>.d.ts` or `<sub>/index.d.ts`. Undefined otherwise.
   */
  legacyTypes(specifier: string): string | undefined {
    return this.bySubpath.has(specifier) ? packageTypesFile(this.root, specifier) : undefined;
  }

  resolve(specifier: string, fromFile: string): ManifestEntry | undefined {
    const direct = this.bySubpath.get(specifier);
    if (direct || this.byFile.size === 0) return direct;
    const candidates = specifier.startsWith('.')
      ? [resolve(dirname(fromFile), specifier)]
      : this.mapping
        ? mapSpecifier(this.mapping, specifier)
        : [];
    for (const candidate of candidates) {
      const entry =
        this.byFile.get(stripExtension(candidate)) ?? this.byFile.get(join(candidate, 'index'));
      if (entry) return entry;
    }
    return undefined;
  }
}

function stripExtension(path: string): string {
  for (const ext of EXTENSIONS) if (path.endsWith(ext)) return path.slice(0, -ext.length);
  return path;
}

/**
 * The type declarations of a package specifier (`pkg`, `@scope/pkg/sub`) as Node would find the
 * package from `root`: its `exports` types, `types`/`typings`, or the .d.ts beside the subpath.
 */
export function packageTypesFile(root: string, specifier: string): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  const subpath = specifier.slice(name.length); // '' or '/sub'
  for (let dir = root; ; dir = dirname(dir)) {
    const base = join(dir, 'node_modules', name);
    if (existsSync(join(base, 'package.json'))) {
      let pkg: { types?: string; typings?: string; exports?: Record<string, unknown> } = {};
      try {
        pkg = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')) as typeof pkg;
      } catch {
        // An unreadable package.json: fall back to the file names below.
      }
      const exported = pkg.exports?.[`.${subpath}`];
      const declared =
        (typeof exported === 'object' && exported !== null
          ? (exported as { types?: unknown }).types
          : undefined) ?? (subpath === '' ? (pkg.types ?? pkg.typings) : undefined);
      const candidates = [
        ...(typeof declared === 'string' ? [join(base, declared)] : []),
        join(base, `${subpath === '' ? 'index' : subpath.slice(1)}.d.ts`),
        join(base, subpath.slice(1), 'index.d.ts'),
      ];
      return candidates.find((file) => file.endsWith('.d.ts') && existsSync(file));
    }
    if (dirname(dir) === dir) return undefined;
  }
}
