// Rewrites consumers of legacy unified-ws entry points (or of a user manifest's legacy modules)
// to the canonical import. Runs on its own:
//   npx jscodeshift -t node_modules/unified-ws/codemods/legacy-to-canonical.ts src
//   options: --manifest=consolidation.json --root=. --tsconfig=tsconfig.json
// Output changes only the bytes that must change; a file that does not parse is reported with
// file:line and left untouched; where no rewrite is safe a `// unified-ws(UWSnnn): …` marker stays.
import type { API, FileInfo, Options } from 'jscodeshift';
import { legacyToCanonical } from '../src/migration/codemod/legacy-to-canonical';
import { resolverFor } from '../src/migration/codemod/load-manifest';

// The transform parses each file itself, by its extension (.ts .tsx .mts .cts .js .jsx .mjs
// .cjs); jscodeshift's own parser is never invoked, so this only names the default.
export const parser = 'tsx';

export default function transformer(
  file: FileInfo,
  api: API,
  options: Options,
): string | undefined {
  const result = legacyToCanonical(file.source, file.path, resolverFor(options));
  if (result.error) {
    api.report(
      `${file.path}:${result.error.line}:${result.error.column}: not parsed, left untouched: ${result.error.message}`,
    );
    return undefined;
  }
  for (const marker of result.markers)
    api.report(`${file.path}:${marker.line}: ${marker.code}: ${marker.reason}`);
  return result.status === 'unchanged' ? undefined : result.output;
}
