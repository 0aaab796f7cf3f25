import { legacyPackageOf } from './targets';
import type { LegacyExport, Manifest, ManifestEntry } from './types';

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

/**
 * What the texts of a team's entry are made from: its manifest's `docs` and the file it was read
 * from (as the team's repository names it). The built-in manifest is never one: its texts name
 * unified-ws's codemod and docs/deprecations.md.
 */
export type ManifestSource = Pick<Manifest, 'docs' | 'file'>;

/** True for the exports whose uses `migrate` rewrites (same-object, rename, call-rewrite). */
export function isMigrated(exp: Pick<LegacyExport, 'rewrite'>): boolean {
  return (
    exp.rewrite === 'same-object' || exp.rewrite === 'rename' || exp.rewrite === 'call-rewrite'
  );
}

/**
 * The command that migrates the consumers of a team's manifest: `unified-ws migrate --manifest
 * <its file>` (`--step CODE` for one entry).
 */
export function migrateCommand(
  manifest: ManifestSource,
  entry?: Pick<ManifestEntry, 'code'>,
): string {
  return `unified-ws migrate --manifest ${manifest.file ?? '<manifest>'}${entry === undefined ? '' : ` --step ${entry.code}`}`;
}

/**
 * The sentence that ends a team entry's texts: run `unified-ws migrate --manifest <file>` when the
 * codemod moves what is deprecated (`automatic`), and where the entry is explained
 * (markerReference: its docs, else the manifest file when the command does not name it already).
 * Empty when there is nothing to say.
 */
function teamHint(
  manifest: ManifestSource,
  entry: Pick<ManifestEntry, 'code' | 'docs'>,
  automatic: boolean,
): string {
  const reference = markerReference(manifest, entry, manifest.file);
  if (!automatic) return reference === undefined ? '' : `See ${reference}`;
  const run = `Run \`${migrateCommand(manifest)}\``;
  return reference === undefined || reference === manifest.file ? run : `${run}; see ${reference}`;
}

/**
 * How to migrate an entry automatically, for errors: unified-ws's codemod for the built-in
 * manifest; for a team's (`manifest`), its `unified-ws migrate --manifest … --step CODE`, or, when
 * nothing of the entry is rewritten automatically, that it is migrated by hand.
 */
export function codemodHint(entry: ManifestEntry, manifest?: ManifestSource): string {
  if (manifest === undefined)
    return `${CODEMOD_COMMAND} (or npx unified-ws migrate --step ${entry.code}); see ${docsLink(entry)}`;
  const reference = markerReference(manifest, entry, manifest.file);
  const see = reference === undefined ? '' : `; see ${reference}`;
  if (!entry.exports.some(isMigrated)) return `by hand (no automatic rewrite)${see}`;
  return `npx ${migrateCommand(manifest, entry)}${reference === manifest.file ? '' : see}`;
}

/** "Name → replacement; …" for every deprecated export of an entry (a `stays` one is not). */
export function replacementSummary(entry: ManifestEntry): string {
  return entry.exports
    .filter((e) => e.rewrite !== 'stays')
    .map((e) => `${e.name} → ${e.replacement}`)
    .join('; ');
}

/**
 * The warning the deprecation runtime displays once per code: what the module is and what
 * replaces it, then how to migrate — unified-ws's codemod and docs for the built-in manifest, a
 * team's own command and docs for a team's (`manifest`).
 */
export function deprecationMessage(
  entryPoint: string,
  entry: ManifestEntry,
  manifest?: ManifestSource,
): string {
  const what = `${entryPoint} is deprecated: ${replacementSummary(entry)}.`;
  if (manifest === undefined)
    return `${what} Migrate with the legacy-to-canonical codemod; see ${docsLink(entry)}.`;
  const hint = teamHint(manifest, entry, entry.exports.some(isMigrated));
  return hint === '' ? what : `${what} ${hint}.`;
}

/**
 * The `@deprecated` text of an export in a team's shim (`unified-ws shim`): its replacement, then
 * `unified-ws migrate --manifest <file>` for an export the codemod moves — nothing about a codemod
 * for a `manual` one — and where the entry is explained.
 */
export function teamDeprecatedTag(
  manifest: ManifestSource,
  entry: ManifestEntry,
  legacy: LegacyExport,
): string {
  const hint = teamHint(manifest, entry, isMigrated(legacy));
  return `@deprecated ${entry.code}: use ${legacy.replacement}.${hint === '' ? '' : ` ${hint}`}`;
}
