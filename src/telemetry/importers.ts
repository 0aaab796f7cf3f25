// Which files of the repositories given still import each code: telemetry only sees what runs,
// and a type-only import, an `import()` type, a jest.mock or a re-export leaves none — yet
// deleting the shim breaks them. The scan is `check`'s (findLegacyUses), every import form.

import { resolve } from 'node:path';
import { resolverFor } from '../migration/codemod/load-manifest';
import { findLegacyUses } from '../migration/legacy-uses';
import { cleanString } from './read';

export interface RepositoryImports {
  /** Code → the files that import it, `repo:path:line` (the first use in each file). */
  byCode: Map<string, string[]>;
  /** Files that name a legacy module but do not parse, `repo:path:line`: what they import is unknown. */
  unparsed: string[];
  /** Source files read, over every repository. */
  scanned: number;
}

/**
 * Scans each repository (as given on the command line, which is how its files are named) with
 * the manifest's resolver. Untracked files that .gitignore does not ignore are read too: a file
 * not committed yet still breaks when the shim goes.
 */
export function findImporters(
  repositories: readonly string[],
  manifest: string | undefined,
): RepositoryImports {
  const byCode = new Map<string, string[]>();
  const unparsed: string[] = [];
  let scanned = 0;
  for (const repository of repositories) {
    const root = resolve(repository);
    const resolver = resolverFor({ root, ...(manifest === undefined ? {} : { manifest }) });
    const report = findLegacyUses(root, resolver, undefined, { untracked: true });
    scanned += report.scanned;
    const name = (file: string, line: number) =>
      cleanString(`${repository}:${file.split('\\').join('/')}:${line}`, 1024);
    const seen = new Set<string>();
    for (const use of report.uses) {
      const key = `${use.code}\u0000${use.file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const files = byCode.get(use.code) ?? [];
      files.push(name(use.file, use.line));
      byCode.set(use.code, files);
    }
    for (const file of report.unparsable) unparsed.push(name(file.file, file.line));
  }
  return { byCode, unparsed, scanned };
}
