import { MANIFEST } from '../manifest/builtin';
import { docsLink, markerReference, replacementSummary } from '../manifest/render';
import { canonicalOf, isDeprecatedExport, legacyPackageSpecifier } from '../manifest/targets';
import { WILDCARD, type Manifest } from '../manifest/types';

/** One restricted module path of ESLint's no-restricted-imports. */
export interface RestrictedPath {
  name: string;
  message: string;
  /** Only these names are restricted (a partial deprecation that lists what moves). */
  importNames?: string[];
  /** Every name but these is restricted (a partial deprecation whose "*" moves the rest). */
  allowImportNames?: string[];
}

/** A flat-config block (ESLint ≥ 9) forbidding imports of legacy modules. */
export interface RestrictedImportsConfig {
  name: string;
  rules: {
    'no-restricted-imports': ['error', { paths: RestrictedPath[] }];
  };
}

/**
 * `no-restricted-imports` generated from the manifest: each legacy module imported by a package
 * specifier, with a message naming its code and its canonical import. Names that stay (`stays`)
 * remain allowed. Add it to eslint.config.js:
 * `import { legacyImportsConfig } from 'unified-ws/eslint'; export default [legacyImportsConfig()];`
 */
export function legacyImportsConfig(manifest: Manifest = MANIFEST): RestrictedImportsConfig {
  const paths: RestrictedPath[] = [];
  for (const entry of manifest.entries) {
    // Repository files are imported by relative paths, which no-restricted-imports cannot name.
    const name = legacyPackageSpecifier(manifest, entry);
    if (name === undefined) continue;
    // unified-ws's own entries link its docs; a team's link what its manifest names, if anything.
    const reference =
      manifest === MANIFEST ? docsLink(entry) : markerReference(manifest, entry, manifest.file);
    const path: RestrictedPath = {
      name,
      message: `${entry.code}: import from '${canonicalOf(manifest, entry)}' instead — ${replacementSummary(entry)}.${reference === undefined ? '' : ` See ${reference}`}`,
    };
    const stays = entry.exports.filter((e) => !isDeprecatedExport(e));
    if (stays.length > 0) {
      const wildcard = entry.exports.find((e) => e.name === WILDCARD);
      if (wildcard && isDeprecatedExport(wildcard))
        path.allowImportNames = stays.map((e) => e.name).filter((n) => n !== WILDCARD);
      else
        path.importNames = entry.exports
          .filter((e) => isDeprecatedExport(e) && e.name !== WILDCARD)
          .map((e) => e.name);
    }
    paths.push(path);
  }
  return {
    name: 'unified-ws/no-legacy-imports',
    rules: { 'no-restricted-imports': ['error', { paths }] },
  };
}

/** The block for the built-in manifest. */
export default legacyImportsConfig();
