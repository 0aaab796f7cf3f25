// The reverse of legacy-to-canonical, generated from the same manifest: canonical imports whose
// names a legacy module provided (same object or renamed) go back to that module. Call rewrites
// have no reverse. npx jscodeshift -t node_modules/unified-ws/codemods/canonical-to-legacy.ts src
import type { API, FileInfo, Options } from 'jscodeshift';
import { canonicalToLegacy } from '../src/migration/codemod/canonical-to-legacy';
import { loadManifest } from '../src/manifest/load';

export const parser = 'tsx';

export default function transformer(
  file: FileInfo,
  api: API,
  options: Options,
): string | undefined {
  const result = canonicalToLegacy(
    file.source,
    file.path,
    loadManifest(options.manifest as string | undefined),
  );
  if (result.error) {
    api.report(
      `${file.path}:${result.error.line}:${result.error.column}: not parsed, left untouched: ${result.error.message}`,
    );
    return undefined;
  }
  return result.status === 'unchanged' ? undefined : result.output;
}
