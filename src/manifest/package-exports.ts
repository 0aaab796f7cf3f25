import type { Manifest } from './types';

export interface ExportTarget {
  types: string;
  default: string;
}

/** The `exports` entries of the legacy subpaths: one per manifest entry, to its compiled shim. */
export function legacyExports(manifest: Manifest): Record<string, ExportTarget> {
  const exports: Record<string, ExportTarget> = {};
  for (const entry of manifest.entries) {
    exports[`./${entry.module}`] = {
      types: `./dist/shims/${entry.module}.d.ts`,
      default: `./dist/shims/${entry.module}.js`,
    };
  }
  return exports;
}
