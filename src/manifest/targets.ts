import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import semver from 'semver';
import { WILDCARD, type LegacyExport, type Manifest, type ManifestEntry } from './types';

// Where an entry's names go, and which of them move: the one reading of the manifest v2 forms
// (per-entry canonical, "*", stays, whole-package entries, version conditions) that the codemods,
// check, audit, the CLI and the docs share.

/**
 * What a canonical specifier names:
 * - `package`: a bare specifier, written verbatim into imports: a package or a subpath of one
 *   (`packageName` is `@scope/new-pkg` for `@scope/new-pkg/sub`), or a tsconfig alias (then
 *   `packageName` is whatever the specifier would name as a package, or undefined when it cannot
 *   be one, like `~/x` or `@/x`: only the tsconfig tells an alias from a package).
 * - `builtin`: a Node builtin, `node:fs` or `fs` (`module` is `fs`, without the protocol).
 * - `file`: a repository file, written `./` and its path from the repository root
 *   (`path` is `src/realtime/socket.ts`); imports of it are relative (canonicalSpecifierFrom).
 */
export type CanonicalTarget =
  | { kind: 'package'; specifier: string; packageName: string | undefined }
  | { kind: 'builtin'; specifier: string; module: string }
  | { kind: 'file'; specifier: string; path: string };

const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[A-Za-z0-9][\w.~-]*$/;

/** Classifies a canonical specifier the parser accepted (the manifest's or an entry's). */
export function classifyCanonical(specifier: string): CanonicalTarget {
  if (specifier.startsWith('./'))
    return { kind: 'file', specifier, path: posix.normalize(specifier.slice(2)) };
  if (specifier.startsWith('node:'))
    return { kind: 'builtin', specifier, module: specifier.slice('node:'.length) };
  if (isBuiltin(specifier)) return { kind: 'builtin', specifier, module: specifier };
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return { kind: 'package', specifier, packageName: PACKAGE_NAME.test(name) ? name : undefined };
}

/** The canonical specifier of an entry: its own `canonical`, else the manifest's. */
export function canonicalOf(
  manifest: Pick<Manifest, 'canonical'>,
  entry: Pick<ManifestEntry, 'canonical'>,
): string {
  return entry.canonical ?? manifest.canonical;
}

/** classifyCanonical(canonicalOf(manifest, entry)). */
export function canonicalTargetOf(
  manifest: Pick<Manifest, 'canonical'>,
  entry: Pick<ManifestEntry, 'canonical'>,
): CanonicalTarget {
  return classifyCanonical(canonicalOf(manifest, entry));
}

/**
 * True when the entry's package (its own `package`, else the top-level one) is its legacy module (`import … from
 * '@scope/old-pkg'`, `require('fs')`): an entry with neither `module` nor `files`.
 */
export function isWholePackage(entry: Pick<ManifestEntry, 'module' | 'files'>): boolean {
  return entry.module === '' && entry.files === undefined;
}

/** The legacy package of an entry: its own `package`, else the manifest's. */
export function legacyPackageOf(
  manifest: Pick<Manifest, 'package'>,
  entry: Pick<ManifestEntry, 'package'>,
): string {
  return entry.package ?? manifest.package;
}

/**
 * The bare specifier consumers import the entry's legacy module by: `package/module` (the entry's
 * package, else the manifest's), the package for a whole-package entry, undefined for an entry
 * that only names repository `files`.
 */
export function legacyPackageSpecifier(
  manifest: Pick<Manifest, 'package'>,
  entry: Pick<ManifestEntry, 'module' | 'files' | 'package'>,
): string | undefined {
  const pkg = legacyPackageOf(manifest, entry);
  if (entry.module !== '') return `${pkg}/${entry.module}`;
  return entry.files === undefined ? pkg : undefined;
}

/** The export an imported name falls under: the one listed by that name, else the entry's `"*"`. */
export function exportFor(
  entry: Pick<ManifestEntry, 'exports'>,
  name: string,
): LegacyExport | undefined {
  return (
    entry.exports.find((e) => e.name === name) ?? entry.exports.find((e) => e.name === WILDCARD)
  );
}

/** The name at the canonical target that `name` (imported under `exp`) maps to. */
export function canonicalName(exp: LegacyExport, name: string): string {
  return exp.name === WILDCARD ? name : (exp.canonical ?? exp.name);
}

/** True for every export except `stays` ones: a use of it is migrated, marked and counted. */
export function isDeprecatedExport(exp: Pick<LegacyExport, 'rewrite'>): boolean {
  return exp.rewrite !== 'stays';
}

/** The version condition of a mapping: the export's own `requires`, else its entry's. */
export function requiresOf(
  entry: Pick<ManifestEntry, 'requires'>,
  exp: Pick<LegacyExport, 'requires'>,
): string | undefined {
  return exp.requires ?? entry.requires;
}

/**
 * Whether a mapping applies with the canonical package at `installed` (undefined: not
 * installed). No condition: always. Prereleases count (`8.0.0-rc.1` satisfies `>=7.8.0`).
 */
export function satisfiesRequires(
  installed: string | undefined,
  range: string | undefined,
): boolean {
  if (range === undefined) return true;
  return installed !== undefined && semver.satisfies(installed, range, { includePrerelease: true });
}

/**
 * The replacement text parseManifest fills in where a JSON manifest leaves it out (on `"*"` and
 * `stays`); `canonical` is the entry's canonicalOf.
 */
export function defaultReplacement(
  exp: Pick<LegacyExport, 'name' | 'rewrite' | 'canonical'>,
  canonical: string,
): string {
  if (exp.rewrite === 'stays') return 'unchanged: not deprecated';
  return exp.name === WILDCARD
    ? `the same name from '${canonical}'`
    : `import { ${exp.canonical ?? exp.name} } from '${canonical}'`;
}

const CODE_EXTENSIONS = ['.d.ts', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The specifier to write in `fromFile` (a path from the repository root) for a target: a package
 * or builtin specifier as it is; for a repository file, the relative path from that file's
 * directory, its code extension (`.ts`, `.js`, …) replaced by `extension` (`'.js'` where the importing
 * file writes ESM paths with extensions; default none): from `src/app/chat.ts` to
 * `./src/realtime/socket.ts`, `../realtime/socket`.
 */
export function canonicalSpecifierFrom(
  target: CanonicalTarget,
  fromFile: string,
  options: { extension?: string } = {},
): string {
  if (target.kind !== 'file') return target.specifier;
  const ext = CODE_EXTENSIONS.find((e) => target.path.endsWith(e));
  const to = ext ? target.path.slice(0, -ext.length) : target.path;
  const from = posix.dirname(posix.normalize(fromFile.replace(/\\/g, '/')));
  const relative = posix.relative(from, to) + (ext ? (options.extension ?? '') : '');
  return relative.startsWith('../') ? relative : `./${relative}`;
}
