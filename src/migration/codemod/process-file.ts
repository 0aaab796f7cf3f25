import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import type { FileResult } from './legacy-to-canonical';
import { resolverFor, type CodemodOptions } from './load-manifest';

// The transforms (and the parser under them) load on first use: a process that only writes what
// workers computed — the CLI's own, during a migration — never loads them.
let transforms:
  | {
      canonicalToLegacy: typeof import('./canonical-to-legacy').canonicalToLegacy;
      legacyToCanonical: typeof import('./legacy-to-canonical').legacyToCanonical;
    }
  | undefined;
function loadTransforms(): NonNullable<typeof transforms> {
  transforms ??= {
    canonicalToLegacy: (require('./canonical-to-legacy') as typeof import('./canonical-to-legacy'))
      .canonicalToLegacy,
    legacyToCanonical: (require('./legacy-to-canonical') as typeof import('./legacy-to-canonical'))
      .legacyToCanonical,
  };
  return transforms;
}

export type Direction = 'legacy-to-canonical' | 'canonical-to-legacy';

export interface ProcessOptions extends CodemodOptions {
  direction?: Direction;
  /** Compute results without writing. */
  dryRun?: boolean;
}

export interface ProcessedFile extends Omit<FileResult, 'output'> {
  path: string;
  /** The new text, kept only for a dry run (for diffs, or for a caller that writes it itself). */
  output?: string;
  /**
   * sha256 (hex) of the UTF-8 bytes the result was computed from: a caller that writes `output`
   * later checks that the file still has them, and a later run can reuse the result.
   */
  sourceHash?: string;
}

/** sha256, hex, of a text's UTF-8 bytes (or of raw bytes). */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Replaces a file's contents all at once: the new text goes to a temporary file beside it (with the
 * file's mode, or `mode` when the caller knows it), then a rename — on one filesystem a reader (or
 * a crash) sees the old file or the new one, never half.
 */
export function writeAtomically(
  path: string,
  data: string | Uint8Array,
  mode = statSync(path).mode,
): void {
  const temporary = `${path}.unified-ws-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, data);
    chmodSync(temporary, mode & 0o7777);
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

/**
 * A file's text, or a parse-error result when its bytes are not UTF-8: decoding would replace
 * them, and writing the rewrite back would change bytes the codemod never meant to touch.
 */
function readText(path: string): string | ProcessedFile {
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes))
    return {
      path,
      status: 'parse-error',
      codes: [],
      markers: [],
      error: { line: 1, column: 1, message: 'not valid UTF-8: left untouched' },
    };
  return text;
}

/** Reads, transforms and (unless dry) atomically rewrites one file. */
export function processFile(path: string, options: ProcessOptions, source?: string): ProcessedFile {
  const text = source ?? readText(path);
  if (typeof text !== 'string') return text;
  const resolver = resolverFor(options);
  const { canonicalToLegacy, legacyToCanonical } = loadTransforms();
  const result =
    options.direction === 'canonical-to-legacy'
      ? canonicalToLegacy(text, path, resolver.manifest)
      : legacyToCanonical(text, path, resolver);
  const { output, ...rest } = result;
  const changed = output !== text;
  if (changed && !options.dryRun) writeAtomically(path, output);
  const sourceHash = sha256(text);
  return changed && options.dryRun
    ? { path, ...rest, output, sourceHash }
    : { path, ...rest, sourceHash };
}
