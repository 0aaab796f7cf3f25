import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { classifyCanonical } from '../manifest/targets';
import { RUNTIME_TYPE_KINDS, type DeclarationKind, type Site } from './identity-bindings';
import { ModuleGraph } from './identity-modules';

// `check --identity`, one chain followed: from an export (or a canonical name) through every
// step that keeps an object's identity, to the declaration or package name it comes from.

/** Where a binding comes from, once every identity-keeping step has been followed. */
export type Origin =
  /** A name of a module outside the repository (a package, a builtin); `*` is its namespace. */
  | { kind: 'external'; specifier: string; name: string }
  /** A declaration in a repository file. */
  | { kind: 'declared'; file: string; name: string; line: number; what: DeclarationKind }
  /** The namespace object of a repository file (`import * as ns`, `export * as ns`). */
  | { kind: 'namespace'; file: string }
  /** It cannot be followed: `why` says what is in the way; `missing` when a name is not exported. */
  | { kind: 'broken'; why: string; missing?: boolean };

export interface Resolution {
  origin: Origin;
  /** Repository files the chain went through after the one it started in, in order. */
  via: string[];
  /** Some step of the chain is type-only, or the origin is a type. */
  typeOnly: boolean;
}

/** Follows bindings across the repository's modules to where they come from. */
export class OriginFinder extends ModuleGraph {
  private readonly canonicals = new Map<string, Resolution>();

  /** Where the canonical `name` of `specifier` comes from, followed like a legacy export. */
  protected canonicalOrigin(specifier: string, name: string): Resolution {
    const key = `${specifier}\0${name}`;
    let resolution = this.canonicals.get(key);
    if (resolution) return resolution;
    const target = classifyCanonical(specifier);
    const from = join(this.root, 'index.ts');
    const found =
      target.kind === 'builtin' ? ({ external: specifier } as const) : this.locate(specifier, from);
    if ('file' in found) resolution = this.exportOrigin(found.file, name, []).resolution;
    else if ('unresolved' in found)
      resolution = { origin: broken(`${specifier} does not exist`), via: [], typeOnly: false };
    else {
      const declared = target.kind === 'package' ? this.packageNames(specifier) : undefined;
      resolution =
        declared?.complete && !declared.names.has(name)
          ? {
              origin: broken(`${specifier} does not export ${name}`, true),
              via: [],
              typeOnly: false,
            }
          : {
              origin: { kind: 'external', specifier, name },
              via: [],
              typeOnly: declared?.names.get(name) === true,
            };
    }
    this.canonicals.set(key, resolution);
    return resolution;
  }

  /**
   * Where the export `name` of `file` comes from, and the line of `file` that exports it
   * (undefined when the file does not). `path` holds the steps taken, to stop on a cycle.
   */
  protected exportOrigin(
    file: string,
    name: string,
    path: readonly string[],
  ): { resolution: Resolution; line: number | undefined } {
    const key = `${this.rel(file)} (${name})`;
    const none = (origin: Origin) => ({
      resolution: { origin, via: [], typeOnly: false },
      line: undefined,
    });
    if (path.includes(key))
      return none(
        broken(`an import cycle: ${[...path.slice(path.indexOf(key)), key].join(' → ')}`),
      );
    const steps = [...path, key];
    const module = this.module(file);
    if (module.error)
      return none(
        broken(
          `${this.rel(file)} does not parse (line ${module.error.line}: ${module.error.message})`,
        ),
      );
    if (name === '*')
      return {
        resolution: { origin: { kind: 'namespace', file }, via: [], typeOnly: false },
        line: undefined,
      };
    const site = module.exports.get(name);
    if (site) return { resolution: this.follow(file, name, site, steps), line: site.line };
    if (name !== 'default') {
      // `export * from` each: ES modules leave out a name two of them provide differently.
      const found: { resolution: Resolution; line: number }[] = [];
      for (const star of module.stars) {
        const resolution = this.importOrigin(
          file,
          star.specifier,
          name,
          steps,
          star.typeOnly,
          true,
        );
        const origin = resolution.origin;
        if (origin.kind === 'broken' && origin.missing) continue;
        found.push({ resolution, line: star.line });
      }
      const [first, ...others] = found;
      if (first && others.every((o) => sameOrigin(o.resolution.origin, first.resolution.origin)))
        return first;
      if (first)
        return {
          resolution: {
            origin: broken(
              `${name} is ambiguous: ${this.rel(file)} re-exports it from several modules (export * at lines ${found.map((f) => f.line).join(', ')})`,
            ),
            via: [],
            typeOnly: false,
          },
          line: first.line,
        };
    }
    return none(broken(`${this.rel(file)} does not export ${name}`, true));
  }

  /** Follows one binding step of `file`, named `name` there. */
  private follow(file: string, name: string, site: Site, path: readonly string[]): Resolution {
    const target = site.target;
    let resolution: Resolution;
    switch (target.kind) {
      case 'declared':
        resolution = {
          origin: { kind: 'declared', file, name, line: site.line, what: target.what },
          via: [],
          typeOnly: RUNTIME_TYPE_KINDS.includes(target.what),
        };
        break;
      case 'import':
        resolution = this.importOrigin(file, target.specifier, target.name, path, false, false);
        break;
      case 'local':
        resolution = this.localOrigin(file, target.name, path);
        break;
      case 'member': {
        const object = this.localOrigin(file, target.object, path);
        const origin = object.origin;
        if (origin.kind === 'namespace') {
          const inner = this.exportOrigin(origin.file, target.property, path).resolution;
          resolution = { ...inner, via: [...object.via, ...inner.via], typeOnly: inner.typeOnly };
        } else if (origin.kind === 'external' && origin.name === '*')
          resolution = { ...object, origin: { ...origin, name: target.property } };
        else if (origin.kind === 'broken') resolution = object;
        else
          resolution = {
            origin: { kind: 'declared', file, name, line: site.line, what: 'const' },
            via: [],
            typeOnly: false,
          };
        break;
      }
    }
    // A name the file exports explicitly that leads nowhere is a broken chain, not a missing name.
    const origin = resolution.origin;
    if (origin.kind === 'broken' && origin.missing) resolution.origin = broken(origin.why);
    return { ...resolution, typeOnly: resolution.typeOnly || site.typeOnly };
  }

  /** The origin of the export `name` of the module `specifier` names from `file`. */
  private importOrigin(
    file: string,
    specifier: string,
    name: string,
    path: readonly string[],
    typeOnly: boolean,
    star: boolean,
  ): Resolution {
    const found = this.locate(specifier, file);
    if ('unresolved' in found)
      return {
        origin: broken(`${specifier} cannot be resolved from ${this.rel(file)}`),
        via: [],
        typeOnly,
      };
    if ('external' in found) {
      const declared = this.packageNames(specifier);
      // Through `export *`, a package provides only the names its type declarations list.
      if (star && name !== '*' && declared?.complete && !declared.names.has(name))
        return { origin: broken(`${specifier} does not export ${name}`, true), via: [], typeOnly };
      return {
        origin: { kind: 'external', specifier, name },
        via: [],
        typeOnly: typeOnly || declared?.names.get(name) === true,
      };
    }
    const inner = this.exportOrigin(found.file, name, path).resolution;
    return { ...inner, via: [found.file, ...inner.via], typeOnly: typeOnly || inner.typeOnly };
  }

  /** The origin of the top-level binding `name` of `file`. */
  private localOrigin(file: string, name: string, path: readonly string[]): Resolution {
    const key = `${this.rel(file)} (local ${name})`;
    if (path.includes(key))
      return {
        origin: broken(`an import cycle: ${[...path.slice(path.indexOf(key)), key].join(' → ')}`),
        via: [],
        typeOnly: false,
      };
    const site = this.module(file).locals.get(name);
    if (!site)
      return {
        origin: broken(`${name} is not declared in ${this.rel(file)}`),
        via: [],
        typeOnly: false,
      };
    return this.follow(file, name, site, [...path, key]);
  }
}

const broken = (why: string, missing = false): Origin =>
  missing ? { kind: 'broken', why, missing } : { kind: 'broken', why };

/** `fs` and `node:fs` are one module. */
const normalized = (specifier: string) =>
  isBuiltin(specifier) && !specifier.startsWith('node:') ? `node:${specifier}` : specifier;

export function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind === 'external' && b.kind === 'external')
    return normalized(a.specifier) === normalized(b.specifier) && a.name === b.name;
  if (a.kind === 'declared' && b.kind === 'declared')
    return a.file === b.file && a.line === b.line && a.name === b.name;
  if (a.kind === 'namespace' && b.kind === 'namespace') return a.file === b.file;
  return false;
}
