// `npm run generate`: writes every file the manifest drives — shims/*.ts, docs/deprecations.md,
// the legacy subpaths of package.json `exports` and the JSON Schema of user manifests.
// test/meta/manifest.test.ts and test/meta/manifest-schema.test.ts fail when any of them differs
// from what this would write.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findPackage } from '../deprecation/package-info';
import { deprecationsDoc } from './deprecations-doc';
import { MANIFEST } from './builtin';
import { legacyExports } from './package-exports';
import { MANIFEST_SCHEMA_FILE, manifestSchemaText } from './schema';
import { shimPath, shimSource } from './shim-source';

/** The package.json `exports` map: the fixed entries first, then one per legacy module. */
export function packageExports(current: Record<string, unknown>): Record<string, unknown> {
  const fixed = Object.fromEntries(
    Object.entries(current).filter(([key]) =>
      ['.', './client', './eslint', './package.json'].includes(key),
    ),
  );
  return { ...fixed, ...legacyExports(MANIFEST) };
}

export function generate(root: string): string[] {
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    written.push(path);
  };
  for (const entry of MANIFEST.entries) write(shimPath(entry), shimSource(entry));
  write('docs/deprecations.md', deprecationsDoc(MANIFEST));
  write(MANIFEST_SCHEMA_FILE, manifestSchemaText());
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  pkg.exports = packageExports(pkg.exports);
  write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  return written;
}

if (require.main === module) {
  for (const path of generate(findPackage().root)) console.log(`wrote ${path}`);
}
