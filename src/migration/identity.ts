import { join } from 'node:path';
import { canonicalName, canonicalOf, exportFor } from '../manifest/targets';
import { WILDCARD, type LegacyExport, type Manifest, type ManifestEntry } from '../manifest/types';
import { resolveRelative } from './codemod/module-exports';
import type { IdentityOptions } from './identity-modules';
import { OriginFinder, sameOrigin, type Origin } from './identity-origin';

// `check --identity`: a static proof that a legacy file's export IS its canonical counterpart —
// the same object, not a copy that behaves alike. Each export is followed through the bindings
// that keep an object's identity (re-exports, imports, `const N = A`, `export default A`,
// `export *`), across relative paths, tsconfig aliases and index files, to where it comes from: a
// declaration in the repository, or a name of a package. The canonical name is followed the same
// way, and the two must meet.

export type { DeclarationKind } from './identity-bindings';
export type { IdentityOptions } from './identity-modules';

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

class IdentityProver extends OriginFinder {
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
}
