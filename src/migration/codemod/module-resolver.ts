import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { legacySpecifier } from '../../manifest/render';
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
      if (entry.module) this.bySubpath.set(legacySpecifier(manifest, entry), entry);
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
    return [...needles];
  }

  isCanonical(specifier: string): boolean {
    return specifier === this.manifest.canonical;
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
