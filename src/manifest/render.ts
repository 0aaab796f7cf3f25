import { legacyPackageOf } from './targets';
import type { Manifest, ManifestEntry } from './types';

// What is derived from a manifest entry for people and tools, written once: the warnings, the
// errors, the ESLint messages, the codemod markers, the shims' JSDoc, the generated docs, the
// commit messages and the telemetry report all render an entry through these.

/** The source file every generated shim and doc names as its origin. */
export const MANIFEST_SOURCE = 'src/manifest/builtin.ts';

/** How consumers import a legacy module: `unified-ws/websocket-core/manager`. */
export function legacySpecifier(manifest: Pick<Manifest, 'package'>, entry: ManifestEntry): string {
  const pkg = legacyPackageOf(manifest, entry);
  return entry.module === '' ? pkg : `${pkg}/${entry.module}`;
}

/**
 * What the deprecation runtime and the telemetry name an entry's legacy module by: its package
 * specifier (legacySpecifier), or for an entry of repository `files` only, its first file.
 */
export function entryPointOf(manifest: Pick<Manifest, 'package'>, entry: ManifestEntry): string {
  return entry.module === '' && entry.files?.[0] !== undefined
    ? entry.files[0]
    : legacySpecifier(manifest, entry);
}

/** unified-ws's own deprecations document: the `docs` of the built-in manifest. */
export const DEPRECATIONS_DOC = 'docs/deprecations.md';

/** Where a built-in entry is explained: its section of docs/deprecations.md. */
export function docsLink(entry: ManifestEntry): string {
  return `${DEPRECATIONS_DOC}#${entry.docs}`;
}

/** A URL (`https://…`), which an entry's `docs` may be instead of an anchor. */
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Where a codemod marker of an entry sends the reader, never a place the manifest does not name:
 * the entry's `docs` when it is a URL; else the manifest's `docs` with the entry's anchor (the
 * built-in manifest's: docs/deprecations.md#uws001); else the manifest file (`manifestFile`, as the
 * caller names it); else undefined, when the manifest was given as an object.
 */
export function markerReference(
  manifest: Pick<Manifest, 'docs'>,
  entry: Pick<ManifestEntry, 'docs'>,
  manifestFile?: string,
): string | undefined {
  if (URL.test(entry.docs)) return entry.docs;
  if (manifest.docs !== undefined) return `${manifest.docs}#${entry.docs}`;
  return manifestFile;
}

/** The command that migrates an entry's consumers on its own. */
export const CODEMOD_COMMAND =
  'npx jscodeshift -t node_modules/unified-ws/codemods/legacy-to-canonical.ts <files>';

/** How to migrate an entry automatically, for errors and warnings. */
export function codemodHint(entry: ManifestEntry): string {
  return `${CODEMOD_COMMAND} (or npx unified-ws migrate --step ${entry.code}); see ${docsLink(entry)}`;
}

/** "Name → replacement; …" for every export of an entry. */
export function replacementSummary(entry: ManifestEntry): string {
  return entry.exports.map((e) => `${e.name} → ${e.replacement}`).join('; ');
}
