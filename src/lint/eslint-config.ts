import { MANIFEST, replacementSummary } from '../migration/manifest';
import type { Manifest } from '../migration/manifest-types';

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
            name: `${manifest.package}/${entry.module}`,
            message: `${entry.code}: import from '${manifest.canonical}' instead — ${replacementSummary(entry)}. See docs/deprecations.md#${entry.docs}`,
          })),
        },
      ],
    },
  };
}

/** The block for the built-in manifest. */
export default legacyImportsConfig();
