import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { canonicalToLegacy } from './canonical-to-legacy';
import { legacyToCanonical, type FileResult } from './legacy-to-canonical';
import { resolverFor, type CodemodOptions } from './load-manifest';

export type Direction = 'legacy-to-canonical' | 'canonical-to-legacy';

export interface ProcessOptions extends CodemodOptions {
  direction?: Direction;
  /** Compute results without writing. */
  dryRun?: boolean;
}

export interface ProcessedFile extends Omit<FileResult, 'output'> {
  path: string;
  /** The new text, kept only for a dry run (for diffs). */
  output?: string;
}

/**
 * Replaces a file's contents all at once: the new text goes to a temporary file beside it, then a
 * rename — on one filesystem a reader (or a crash) sees the old file or the new one, never half.
 */
export function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.unified-ws-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text);
    chmodSync(temporary, statSync(path).mode);
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
    throw error;
  }
}

/** Reads, transforms and (unless dry) atomically rewrites one file. */
export function processFile(
  path: string,
  options: ProcessOptions,
  source = readFileSync(path, 'utf8'),
): ProcessedFile {
  const resolver = resolverFor(options);
  const result =
    options.direction === 'canonical-to-legacy'
      ? canonicalToLegacy(source, path, resolver.manifest)
      : legacyToCanonical(source, path, resolver);
  const { output, ...rest } = result;
  const changed = output !== source;
  if (changed && !options.dryRun) writeAtomically(path, output);
  return changed && options.dryRun ? { path, ...rest, output } : { path, ...rest };
}
