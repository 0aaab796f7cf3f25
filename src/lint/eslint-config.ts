import { MANIFEST } from '../manifest/builtin';
import { docsLink, legacySpecifier, replacementSummary } from '../manifest/render';
import type { Manifest } from '../manifest/types';

/** A flat-config block (ESLint ≥ 9) forbidding imports of legacy modules. */
export interface RestrictedImportsConfig {
  name: string;
  rules: {
    'no-restricted-imports': ['error', { paths: { name: string; message: string }[] }];
  };
}

/**
 * `no-restricted-imports` generated from the manifest: each legacy module, with a message naming
 * its code and the canonical import. Add it to eslint.config.js:
 * `import { legacyImportsConfig } from 'unified-ws/eslint'; export default [legacyImportsConfig()];`
 */
export function legacyImportsConfig(manifest: Manifest = MANIFEST): RestrictedImportsConfig {
  return {
    name: 'unified-ws/no-legacy-imports',
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: manifest.entries.map((entry) => ({
            name: legacySpecifier(manifest, entry),
            message: `${entry.code}: import from '${manifest.canonical}' instead — ${replacementSummary(entry)}. See ${docsLink(entry)}`,
          })),
        },
      ],
    },
  };
}

/** The block for the built-in manifest. */
export default legacyImportsConfig();
