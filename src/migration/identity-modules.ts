import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { resolveRelative } from './codemod/module-exports';
import { packageTypesFile } from './codemod/module-resolver';
import { mapSpecifier, readPathMapping, type PathMapping } from './codemod/tsconfig-paths';
import { isType, parseModule, type ParsedModule } from './identity-bindings';

// `check --identity`, the files it reads: a specifier resolved to a repository file or a package,
// each module parsed once, and the whole list of names a file exports.

export interface IdentityOptions {
  root: string;
  /** A tsconfig whose baseUrl/paths map aliases. Default: root/tsconfig.json if present. */
  tsconfig?: string;
}

export interface ExportNames {
  /** Name → type only. */
  names: Map<string, boolean>;
  complete: boolean;
  unreadable: string[];
}

/** The repository's modules, as `check --identity` reads them: resolved, parsed and cached. */
export class ModuleGraph {
  readonly root: string;
  private readonly mapping: PathMapping | undefined;
  private readonly modules = new Map<string, ParsedModule>();
  private readonly names = new Map<string, ExportNames>();

  constructor(options: IdentityOptions) {
    this.root = resolve(options.root);
    const tsconfig = options.tsconfig ?? join(this.root, 'tsconfig.json');
    this.mapping = existsSync(tsconfig) ? readPathMapping(tsconfig) : undefined;
  }

  /**
   * The repository file a specifier names from `file` (relative paths, tsconfig aliases, index
   * files, extensions), or `external` for a package or builtin, or `unresolved` for a relative
   * path to nothing.
   */
  protected locate(
    specifier: string,
    file: string,
  ): { file: string } | { external: string } | { unresolved: string } {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const found = resolveRelative(specifier, file);
      return found ? { file: found } : { unresolved: specifier };
    }
    if (this.mapping && !specifier.startsWith('node:'))
      for (const candidate of mapSpecifier(this.mapping, specifier)) {
        const found = resolveRelative(candidate, file);
        if (found) return { file: found };
      }
    return { external: specifier };
  }

  /** The names a package's type declarations export, when they can be found. */
  protected packageNames(specifier: string): ExportNames | undefined {
    if (isBuiltin(specifier)) return undefined;
    const types = packageTypesFile(this.root, specifier);
    return types ? this.exportNames(types) : undefined;
  }

  /**
   * Every name `file` exports, following `export *` into repository files and into the type
   * declarations of packages; `unreadable` says what could not be read.
   */
  protected exportNames(file: string, seen: Set<string> = new Set()): ExportNames {
    const cached = this.names.get(file);
    if (cached) return cached;
    const result: ExportNames = { names: new Map(), complete: true, unreadable: [] };
    if (seen.has(file)) return result;
    const top = seen.size === 0;
    seen.add(file);
    const module = this.module(file);
    if (module.error) {
      result.complete = false;
      result.unreadable.push(`${this.rel(file)} does not parse`);
    }
    for (const [name, site] of module.exports)
      result.names.set(name, site.typeOnly || isType(site));
    for (const star of module.stars) {
      const found = this.locate(star.specifier, file);
      const types =
        'file' in found
          ? found.file
          : 'external' in found && !isBuiltin(star.specifier)
            ? packageTypesFile(this.root, star.specifier)
            : undefined;
      if (types === undefined) {
        result.complete = false;
        result.unreadable.push(`export * from ${star.specifier}: no type declarations found`);
        continue;
      }
      const inner = this.exportNames(types, seen);
      if (!inner.complete) {
        result.complete = false;
        result.unreadable.push(...inner.unreadable);
      }
      for (const [name, typeOnly] of inner.names)
        if (name !== 'default' && !result.names.has(name))
          result.names.set(name, typeOnly || star.typeOnly);
    }
    // Only a list read from its own start is whole: inside a cycle, a file's list lacks the rest.
    if (top) this.names.set(file, result);
    return result;
  }

  protected module(file: string): ParsedModule {
    let module = this.modules.get(file);
    if (!module) {
      module = parseModule(file);
      this.modules.set(file, module);
    }
    return module;
  }

  /** A path for people: from the repository root when inside it, posix. */
  protected rel(file: string): string {
    const path = relative(this.root, file);
    return (path.startsWith('..') ? file : path).split(sep).join('/');
  }
}
