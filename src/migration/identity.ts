import type { Expression, Node } from '@babel/types';
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { canonicalName, canonicalOf, classifyCanonical, exportFor } from '../manifest/targets';
import { WILDCARD, type LegacyExport, type Manifest, type ManifestEntry } from '../manifest/types';
import { resolveRelative } from './codemod/module-exports';
import { packageTypesFile } from './codemod/module-resolver';
import { parseSource, ParseFailure } from './codemod/parse';
import { mapSpecifier, readPathMapping, type PathMapping } from './codemod/tsconfig-paths';
import { patternNames } from './codemod/scope';

// `check --identity`: a static proof that a legacy file's export IS its canonical counterpart —
// the same object, not a copy that behaves alike. Each export is followed through the bindings
// that keep an object's identity (re-exports, imports, `const N = A`, `export default A`,
// `export *`), across relative paths, tsconfig aliases and index files, to where it comes from: a
// declaration in the repository, or a name of a package. The canonical name is followed the same
// way, and the two must meet.

/** What a declared binding is, for people: `is its own class`. */
export type DeclarationKind =
  | 'class'
  | 'function'
  | 'const'
  | 'let'
  | 'var'
  | 'enum'
  | 'interface'
  | 'type'
  | 'namespace'
  | 'value';

/** One legacy export and whether it is its canonical counterpart. */
export interface IdentityResult {
  code: string;
  /** The legacy file, from the repository root (posix). */
  file: string;
  /** The legacy export name (`default` included). */
  export: string;
  /** Where it should come from: the entry's canonical specifier and the name there. */
  canonical: { specifier: string; name: string };
  identical: boolean;
  /** One line: what the export is (and, when not identical, what it is instead). */
  reason: string;
  /** The line of the legacy file that exports it; undefined when it is not exported. */
  line: number | undefined;
  /** A type only (an interface, a type alias, `export type`): proven statically, never at run time. */
  typeOnly: boolean;
  /** False when the legacy file does not provide the name at all (nothing to import). */
  exported: boolean;
}

export interface IdentityReport {
  /** The repository root the files are relative to. */
  root: string;
  results: IdentityResult[];
}

export interface IdentityOptions {
  root: string;
  /** A tsconfig whose baseUrl/paths map aliases. Default: root/tsconfig.json if present. */
  tsconfig?: string;
}

/** Where a binding comes from, once every identity-keeping step has been followed. */
type Origin =
  /** A name of a module outside the repository (a package, a builtin); `*` is its namespace. */
  | { kind: 'external'; specifier: string; name: string }
  /** A declaration in a repository file. */
  | { kind: 'declared'; file: string; name: string; line: number; what: DeclarationKind }
  /** The namespace object of a repository file (`import * as ns`, `export * as ns`). */
  | { kind: 'namespace'; file: string }
  /** It cannot be followed: `why` says what is in the way; `missing` when a name is not exported. */
  | { kind: 'broken'; why: string; missing?: boolean };

interface Resolution {
  origin: Origin;
  /** Repository files the chain went through after the one it started in, in order. */
  via: string[];
  /** Some step of the chain is type-only, or the origin is a type. */
  typeOnly: boolean;
}

/** One step of a binding: what a name of a file stands for. */
type Target =
  | { kind: 'import'; specifier: string; name: string } // name `*`: the namespace
  | { kind: 'local'; name: string }
  | { kind: 'member'; object: string; property: string }
  | { kind: 'declared'; what: DeclarationKind };

interface Site {
  line: number;
  target: Target;
  typeOnly: boolean;
}

interface ParsedModule {
  exports: Map<string, Site>;
  stars: { specifier: string; line: number; typeOnly: boolean }[];
  locals: Map<string, Site>;
  error?: { line: number; message: string };
}

const RUNTIME_TYPE_KINDS: readonly DeclarationKind[] = ['interface', 'type'];

/**
 * Proves, for every entry with `files`, that each legacy export moving as the same object
 * (`same-object` and `rename` by name, and every name of the file under a `"*"` same-object) is
 * the canonical object itself.
 */
export function proveIdentity(manifest: Manifest, options: IdentityOptions): IdentityReport {
  const prover = new IdentityProver(options);
  const results: IdentityResult[] = [];
  for (const entry of manifest.entries) {
    if (entry.files === undefined) continue;
    for (const file of entry.files) results.push(...prover.proveFile(manifest, entry, file));
  }
  return { root: prover.root, results };
}

/** The manifest's entries that name repository files: what `check --identity` can prove. */
export function identityEntries(manifest: Manifest): ManifestEntry[] {
  return manifest.entries.filter((entry) => entry.files !== undefined);
}

const movesAsSameObject = (exp: LegacyExport) =>
  exp.rewrite === 'same-object' || exp.rewrite === 'rename';

class IdentityProver {
  readonly root: string;
  private readonly mapping: PathMapping | undefined;
  private readonly modules = new Map<string, ParsedModule>();
  private readonly names = new Map<string, ExportNames>();

  constructor(options: IdentityOptions) {
    this.root = resolve(options.root);
    const tsconfig = options.tsconfig ?? join(this.root, 'tsconfig.json');
    this.mapping = existsSync(tsconfig) ? readPathMapping(tsconfig) : undefined;
  }

  proveFile(manifest: Manifest, entry: ManifestEntry, path: string): IdentityResult[] {
    const specifier = canonicalOf(manifest, entry);
    const named = entry.exports.filter((e) => e.name !== WILDCARD && movesAsSameObject(e));
    const wildcard = entry.exports.find((e) => e.name === WILDCARD && movesAsSameObject(e));
    const file = resolveRelative(`./${path}`, join(this.root, 'index.ts'));
    const shown = path.replace(/\\/g, '/');
    const result = (
      name: string,
      canonical: string,
      rest: Omit<IdentityResult, 'code' | 'file' | 'export' | 'canonical'>,
    ): IdentityResult => ({
      code: entry.code,
      file: file ? this.rel(file) : shown,
      export: name,
      canonical: { specifier, name: canonical },
      ...rest,
    });
    if (file === undefined) {
      const reason = `${shown} does not exist`;
      const missing = {
        identical: false,
        reason,
        line: undefined,
        typeOnly: false,
        exported: false,
      };
      return [
        ...named.map((e) => result(e.name, canonicalName(e, e.name), missing)),
        ...(wildcard ? [result(WILDCARD, WILDCARD, missing)] : []),
      ];
    }
    const names = named.map((e) => e.name);
    const results: IdentityResult[] = [];
    if (wildcard) {
      const all = this.exportNames(file);
      for (const name of all.names.keys())
        if (exportFor(entry, name) === wildcard && !names.includes(name)) names.push(name);
      if (all.unreadable.length > 0)
        results.push(
          result(WILDCARD, WILDCARD, {
            identical: false,
            reason: `the export list of ${this.rel(file)} cannot be read whole (${all.unreadable.join('; ')}): "*" is not proven for the names it leaves out`,
            line: undefined,
            typeOnly: false,
            exported: false,
          }),
        );
    }
    for (const name of names) {
      const exp = exportFor(entry, name) as LegacyExport;
      const canonical = canonicalName(exp, name);
      results.push(result(name, canonical, this.prove(file, name, specifier, canonical, exp)));
    }
    return results;
  }

  private prove(
    file: string,
    name: string,
    specifier: string,
    canonical: string,
    exp: LegacyExport,
  ): Omit<IdentityResult, 'code' | 'file' | 'export' | 'canonical'> {
    const { resolution: legacy, line } = this.exportOrigin(file, name, []);
    const target = this.canonicalOrigin(specifier, canonical);
    const wanted = `${canonical} from ${specifier}`;
    const subject = `${name} (${this.rel(file)}${line === undefined ? '' : `:${line}`})`;
    const typeOnly = exp.typeOnly === true || legacy.typeOnly || target.typeOnly;
    const base = { line, typeOnly, exported: line !== undefined };
    const origin = legacy.origin;
    if (origin.kind === 'broken' && origin.missing && line === undefined)
      return { ...base, identical: false, reason: `${name} is not exported by ${this.rel(file)}` };
    if (origin.kind === 'broken')
      return {
        ...base,
        identical: false,
        reason: `${subject} does not reach ${wanted}: ${origin.why}`,
      };
    const via = legacy.via.filter((f) => origin.kind !== 'declared' || f !== origin.file);
    const through = via.length > 0 ? `, through ${via.map((f) => this.rel(f)).join(' → ')}` : '';
    if (sameOrigin(origin, target.origin))
      return { ...base, identical: true, reason: `${subject} is ${wanted}${through}` };
    const missing =
      target.origin.kind === 'broken' ? `, which cannot be found: ${target.origin.why}` : '';
    return {
      ...base,
      identical: false,
      reason: `${subject} ${this.describe(origin, file, name)}${through}, not ${wanted}${missing}`,
    };
  }

  /** What an origin that is not the canonical one is, seen from the legacy export `name` of `file`. */
  private describe(origin: Origin, file: string, name: string): string {
    switch (origin.kind) {
      case 'external':
        return origin.name === '*'
          ? `is the namespace of ${origin.specifier}`
          : `re-exports ${origin.name} from ${origin.specifier}`;
      case 'namespace':
        return `is the namespace of ${this.rel(origin.file)}`;
      case 'declared':
        if (origin.file !== file)
          return `re-exports ${origin.name} from ${this.rel(origin.file)}:${origin.line}, which is its own ${origin.what}`;
        return origin.name === name || origin.name === 'default'
          ? `is its own ${origin.what}`
          : `is ${origin.name}, its own ${origin.what} (line ${origin.line})`;
      default:
        return origin.why;
    }
  }

  private readonly canonicals = new Map<string, Resolution>();

  /** Where the canonical `name` of `specifier` comes from, followed like a legacy export. */
  private canonicalOrigin(specifier: string, name: string): Resolution {
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
  private exportOrigin(
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

  /**
   * The repository file a specifier names from `file` (relative paths, tsconfig aliases, index
   * files, extensions), or `external` for a package or builtin, or `unresolved` for a relative
   * path to nothing.
   */
  private locate(
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
  private packageNames(specifier: string): ExportNames | undefined {
    if (isBuiltin(specifier)) return undefined;
    const types = packageTypesFile(this.root, specifier);
    return types ? this.exportNames(types) : undefined;
  }

  /**
   * Every name `file` exports, following `export *` into repository files and into the type
   * declarations of packages; `unreadable` says what could not be read.
   */
  private exportNames(file: string, seen: Set<string> = new Set()): ExportNames {
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

  private module(file: string): ParsedModule {
    let module = this.modules.get(file);
    if (!module) {
      module = parseModule(file);
      this.modules.set(file, module);
    }
    return module;
  }

  /** A path for people: from the repository root when inside it, posix. */
  private rel(file: string): string {
    const path = relative(this.root, file);
    return (path.startsWith('..') ? file : path).split(sep).join('/');
  }
}

interface ExportNames {
  /** Name → type only. */
  names: Map<string, boolean>;
  complete: boolean;
  unreadable: string[];
}

const broken = (why: string, missing = false): Origin =>
  missing ? { kind: 'broken', why, missing } : { kind: 'broken', why };

const isType = (site: Site) =>
  site.target.kind === 'declared' && RUNTIME_TYPE_KINDS.includes(site.target.what);

/** `fs` and `node:fs` are one module. */
const normalized = (specifier: string) =>
  isBuiltin(specifier) && !specifier.startsWith('node:') ? `node:${specifier}` : specifier;

function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind === 'external' && b.kind === 'external')
    return normalized(a.specifier) === normalized(b.specifier) && a.name === b.name;
  if (a.kind === 'declared' && b.kind === 'declared')
    return a.file === b.file && a.line === b.line && a.name === b.name;
  if (a.kind === 'namespace' && b.kind === 'namespace') return a.file === b.file;
  return false;
}

/** The bindings of a file that matter here: its exports, `export *`s and top-level names. */
function parseModule(file: string): ParsedModule {
  const module: ParsedModule = { exports: new Map(), stars: [], locals: new Map() };
  let body: Node[];
  try {
    body = parseSource(readFileSync(file, 'utf8'), file).program.body;
  } catch (error) {
    if (error instanceof ParseFailure) module.error = { line: error.line, message: error.message };
    else module.error = { line: 0, message: (error as Error).message };
    return module;
  }
  // A value and a type may share a name (declaration merging): the value is what is imported.
  const set = (map: Map<string, Site>, name: string, site: Site) => {
    const existing = map.get(name);
    const typeish = (s: Site) => s.typeOnly || isType(s);
    if (!existing || (typeish(existing) && !typeish(site))) map.set(name, site);
  };
  const line = (node: Node) => node.loc?.start.line ?? 0;
  const nameOf = (node: { type: string; name?: string; value?: string }) =>
    (node.type === 'Identifier' ? node.name : node.value) as string;

  const declare = (declaration: Node, exported: boolean, typeOnly: boolean) => {
    const sites: [string, Site][] = [];
    const at = line(declaration);
    const declared = (what: DeclarationKind): Target => ({ kind: 'declared', what });
    switch (declaration.type) {
      case 'VariableDeclaration':
        for (const declarator of declaration.declarations) {
          const kind =
            declaration.kind === 'let' || declaration.kind === 'var' ? declaration.kind : 'const';
          if (declarator.id.type !== 'Identifier') {
            for (const name of patternNames(declarator.id))
              sites.push([name, { line: line(declarator), target: declared(kind), typeOnly }]);
            continue;
          }
          // Only a const keeps what it was given: a let or var can be reassigned.
          const alias =
            kind === 'const' && declarator.init ? aliasTarget(declarator.init) : undefined;
          sites.push([
            declarator.id.name,
            { line: line(declarator), target: alias ?? declared(kind), typeOnly },
          ]);
        }
        break;
      case 'ClassDeclaration':
      case 'FunctionDeclaration':
      case 'TSDeclareFunction':
      case 'TSEnumDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSModuleDeclaration': {
        const what: Record<string, DeclarationKind> = {
          ClassDeclaration: 'class',
          FunctionDeclaration: 'function',
          TSDeclareFunction: 'function',
          TSEnumDeclaration: 'enum',
          TSInterfaceDeclaration: 'interface',
          TSModuleDeclaration: 'namespace',
        };
        const id = (declaration as { id?: Node | null }).id;
        if (id?.type === 'Identifier')
          sites.push([
            id.name,
            { line: at, target: declared(what[declaration.type] as DeclarationKind), typeOnly },
          ]);
        break;
      }
      case 'TSTypeAliasDeclaration': {
        // `type N = A` is A itself (no type arguments); anything else is a type of its own.
        const annotation = declaration.typeAnnotation;
        const alias =
          !declaration.typeParameters &&
          annotation.type === 'TSTypeReference' &&
          !annotation.typeParameters &&
          annotation.typeName.type === 'Identifier'
            ? ({ kind: 'local', name: annotation.typeName.name } as const)
            : undefined;
        sites.push([
          declaration.id.name,
          { line: at, target: alias ?? declared('type'), typeOnly: true },
        ]);
        break;
      }
      case 'TSImportEqualsDeclaration': {
        const reference = declaration.moduleReference;
        const target: Target =
          reference.type === 'TSExternalModuleReference'
            ? { kind: 'import', specifier: reference.expression.value, name: '*' }
            : reference.type === 'TSQualifiedName' && reference.left.type === 'Identifier'
              ? { kind: 'member', object: reference.left.name, property: reference.right.name }
              : reference.type === 'Identifier'
                ? { kind: 'local', name: reference.name }
                : declared('value');
        sites.push([
          declaration.id.name,
          { line: at, target, typeOnly: typeOnly || declaration.importKind === 'type' },
        ]);
        if (declaration.isExport) exported = true;
        break;
      }
      default:
        return;
    }
    for (const [name, site] of sites) {
      set(module.locals, name, site);
      if (exported) set(module.exports, name, site);
    }
  };

  for (const node of body) {
    switch (node.type) {
      case 'ImportDeclaration':
        for (const spec of node.specifiers) {
          const name =
            spec.type === 'ImportSpecifier'
              ? nameOf(spec.imported)
              : spec.type === 'ImportDefaultSpecifier'
                ? 'default'
                : '*';
          set(module.locals, spec.local.name, {
            line: line(node),
            target: { kind: 'import', specifier: node.source.value, name },
            typeOnly:
              node.importKind === 'type' ||
              (spec.type === 'ImportSpecifier' && spec.importKind === 'type'),
          });
        }
        break;
      case 'ExportNamedDeclaration': {
        // Babel marks `export declare class` as a type export too: a declaration is what it declares.
        const typeOnly = node.exportKind === 'type' && !node.declaration;
        for (const spec of node.specifiers) {
          const exported = nameOf(spec.exported);
          const specTypeOnly =
            typeOnly || (spec.type === 'ExportSpecifier' && spec.exportKind === 'type');
          let target: Target | undefined;
          if (spec.type === 'ExportNamespaceSpecifier')
            target = node.source
              ? { kind: 'import', specifier: node.source.value, name: '*' }
              : undefined;
          else if (spec.type === 'ExportSpecifier')
            target = node.source
              ? { kind: 'import', specifier: node.source.value, name: nameOf(spec.local) }
              : { kind: 'local', name: nameOf(spec.local) };
          if (target)
            set(module.exports, exported, { line: line(node), target, typeOnly: specTypeOnly });
        }
        if (node.declaration) declare(node.declaration, true, typeOnly);
        break;
      }
      case 'ExportDefaultDeclaration': {
        // Node, not the declared union: Babel also gives `export default interface I {}` here.
        const declaration = node.declaration as Node;
        const what: DeclarationKind | undefined =
          declaration.type === 'ClassDeclaration' || declaration.type === 'ClassExpression'
            ? 'class'
            : declaration.type === 'TSInterfaceDeclaration'
              ? 'interface'
              : declaration.type.includes('Function')
                ? 'function'
                : undefined;
        // `export default class Foo {}` also declares Foo in the file: the default export is Foo.
        declare(declaration, false, what === 'interface');
        const id = (declaration as { id?: Node | null }).id;
        set(module.exports, 'default', {
          line: line(node),
          target: (id?.type === 'Identifier'
            ? ({ kind: 'local', name: id.name } as const)
            : what === undefined
              ? aliasTarget(declaration)
              : undefined) ?? { kind: 'declared', what: what ?? 'value' },
          typeOnly: what === 'interface',
        });
        break;
      }
      case 'ExportAllDeclaration':
        module.stars.push({
          specifier: node.source.value,
          line: line(node),
          typeOnly: node.exportKind === 'type',
        });
        break;
      default:
        declare(node, false, false);
    }
  }
  return module;
}

/** `A`, `A as T`, `A satisfies T`, `A!`, `ns.A`: an expression that is another binding itself. */
function aliasTarget(expression: Expression | Node): Target | undefined {
  let e: Node = expression;
  while (
    e.type === 'TSAsExpression' ||
    e.type === 'TSSatisfiesExpression' ||
    e.type === 'TSNonNullExpression' ||
    e.type === 'TSTypeAssertion' ||
    e.type === 'ParenthesizedExpression'
  )
    e = e.expression;
  if (e.type === 'Identifier') return { kind: 'local', name: e.name };
  if (
    e.type === 'MemberExpression' &&
    !e.computed &&
    e.object.type === 'Identifier' &&
    e.property.type === 'Identifier'
  )
    return { kind: 'member', object: e.object.name, property: e.property.name };
  return undefined;
}
