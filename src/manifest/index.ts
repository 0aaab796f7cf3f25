// The manifest: one typed entry per legacy entry point, and everything derived from it.
export { MANIFEST, RETIRED_CODES, manifestEntry } from './builtin';
export { parseManifest } from './from-json';
export { entryToJson } from './entry-json';
export { loadManifest } from './load';
export {
  CODEMOD_COMMAND,
  MANIFEST_SOURCE,
  codemodHint,
  docsLink,
  entryPointOf,
  legacySpecifier,
  replacementSummary,
} from './render';
export {
  canonicalOf,
  canonicalName,
  canonicalSpecifierFrom,
  canonicalTargetOf,
  classifyCanonical,
  exportFor,
  isDeprecatedExport,
  isWholePackage,
  legacyPackageSpecifier,
  requiresOf,
  satisfiesRequires,
  type CanonicalTarget,
} from './targets';
export { REWRITE_KINDS, WILDCARD } from './types';
export type {
  CallRewrite,
  LegacyExport,
  LegacyExportJson,
  Manifest,
  ManifestEntry,
  ManifestEntryJson,
  RewriteKind,
} from './types';
