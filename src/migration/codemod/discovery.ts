import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { SOURCE_EXTENSIONS } from './parse';

// Which files of a tree the codemod, check and audit look at.

/** Directory names never entered. */
export const DEFAULT_IGNORES = ['node_modules', '.git', 'dist', 'build', 'coverage', '.unified-ws'];

/** Source files under root, sorted, skipping ignored directories. */
export function sourceFiles(
  root: string,
  ignore: ReadonlySet<string> = new Set(DEFAULT_IGNORES),
): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!ignore.has(entry.name)) visit(join(dir, entry.name));
      } else if (
        entry.isFile() &&
        (SOURCE_EXTENSIONS as readonly string[]).includes(extname(entry.name))
      ) {
        files.push(join(dir, entry.name));
      }
    }
  };
  visit(root);
  return files.sort();
}
