import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { findSites } from './codemod/legacy-to-canonical';
import type { ModuleResolver } from './codemod/module-resolver';
import { parseSource, ParseFailure } from './codemod/parse';
import { sourceFiles } from './codemod/discovery';

/** One place a legacy module is named. */
export interface LegacyUse {
  file: string;
  line: number;
  code: string;
  specifier: string;
}

export interface UsesReport {
  uses: LegacyUse[];
  scanned: number;
  /** Files that mention a legacy module but do not parse (file:line). */
  unparsable: { file: string; line: number; message: string }[];
}

/**
 * Every legacy specifier in a tree, by module identity, with the same prefilter as the runner.
 * `eachFile` sees every source file's text once, for callers that look for more in the same read.
 */
export function findLegacyUses(
  root: string,
  resolver: ModuleResolver,
  eachFile?: (path: string, source: string) => void,
): UsesReport {
  const files = sourceFiles(root);
  const uses: LegacyUse[] = [];
  const unparsable: UsesReport['unparsable'] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    eachFile?.(relative(root, file), source);
    if (!resolver.needles.some((needle) => source.includes(needle))) continue;
    const path = relative(root, file);
    try {
      for (const site of findSites(parseSource(source, file))) {
        const entry = resolver.resolve(site.literal.value, file);
        if (entry)
          uses.push({
            file: path,
            line: site.literal.loc?.start.line ?? 0,
            code: entry.code,
            specifier: site.literal.value,
          });
      }
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
      unparsable.push({ file: path, line: error.line, message: error.message });
    }
  }
  return { uses, scanned: files.length, unparsable };
}
