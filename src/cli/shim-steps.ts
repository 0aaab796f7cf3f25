import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ParseFailure } from '../migration/codemod/parse';
import { sha256 } from '../migration/codemod/process-file';
import { git } from '../migration/git';
import type { ExtensionStyle } from '../migration/import-extension';
import { canonicalCycle } from '../migration/shim-cycle';
import { ShimRefusal, shimModule, type ShimFileResult } from '../migration/shim-module';
import { legacySpecifier } from '../manifest/render';
import { canonicalTargetOf } from '../manifest/targets';
import type { Manifest, ManifestEntry } from '../manifest/types';
import { EXIT, ExitError } from './exit-error';

// The steps of `unified-ws shim`, one an entry: which entries, and the new text of each of their
// files, all computed before anything is written.

/** The step id of an entry's shim: `revert shim:CODE` undoes it. */
export const stepId = (code: string) => `shim:${code}`;

/** One entry's step, computed before anything is written. */
export interface ShimStep {
  entry: ManifestEntry;
  results: ShimFileResult[];
  /** The files that change, with the hash of the text their new one was computed from. */
  changes: { path: string; output: string; sourceHash: string }[];
}

/** The entries to shim: the one named by --step (which must have files), or all with files. */
export function selectEntries(
  manifest: Manifest,
  manifestFile: string,
  step: string | undefined,
): ManifestEntry[] {
  const withFiles = manifest.entries.filter((e) => e.files !== undefined);
  if (step === undefined) {
    if (withFiles.length === 0)
      throw new ExitError(
        EXIT.USAGE,
        `no entry of ${manifestFile} has "files": shim rewrites the repository files of an entry (for a package's modules, migrate moves their importers)`,
      );
    return withFiles;
  }
  const code = step.startsWith('shim:') ? step.slice('shim:'.length) : step;
  const entry = manifest.entries.find((e) => e.code === code);
  if (!entry)
    throw new ExitError(
      EXIT.USAGE,
      `unknown code "${code}": entries of ${manifestFile} with files are ${withFiles.map((e) => e.code).join(', ') || 'none'}`,
    );
  if (entry.files === undefined)
    throw new ExitError(
      EXIT.USAGE,
      `${code} has no "files" in ${manifestFile}: shim rewrites the repository files of an entry (its legacy module ${legacySpecifier(manifest, entry)} is a package's: migrate moves its importers)`,
    );
  return [entry];
}

/** The new text of every file of an entry, or the reason nothing can be written. */
export function prepare(
  root: string,
  manifest: Manifest,
  entry: ManifestEntry,
  installedVersion: (name: string) => string | undefined,
  styles: Map<string, ExtensionStyle>,
): ShimStep {
  const step: ShimStep = { entry, results: [], changes: [] };
  const paths = (entry.files ?? []).map((listed) => posix.normalize(listed.replace(/\\/g, '/')));
  refuseCycle(root, manifest, entry, paths);
  for (const path of paths) {
    const full = join(root, path);
    if (!existsSync(full))
      throw new ExitError(
        EXIT.USAGE,
        `${path} (a file of ${entry.code}) does not exist in ${root}: nothing was written`,
      );
    const bytes = readFileSync(full);
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes))
      throw new ExitError(EXIT.USAGE, `${path}:1: not valid UTF-8: nothing was written`);
    let result: ShimFileResult;
    try {
      result = shimModule(text, path, { manifest, entry, installedVersion, root, styles });
    } catch (error) {
      if (error instanceof ShimRefusal)
        throw new ExitError(EXIT.USAGE, `${error.message}; nothing was written`);
      if (error instanceof ParseFailure)
        throw new ExitError(
          EXIT.USAGE,
          `${path}:${error.line}: does not parse; nothing was written: ${error.message}`,
        );
      throw error;
    }
    step.results.push(result);
    if (result.output !== undefined && result.output !== text)
      step.changes.push({ path, output: result.output, sourceHash: sha256(bytes) });
  }
  return step;
}

/**
 * Refuses an entry whose canonical target is a repository file that uses one of the entry's
 * legacy files (itself or through the repository files it imports): the shim would re-export the
 * canonical object from a module that depends on the shim, and the canonical implementation would
 * then use itself under the legacy name — a cycle tsc does not see and that recurses at run time.
 */
function refuseCycle(
  root: string,
  manifest: Manifest,
  entry: ManifestEntry,
  paths: readonly string[],
): void {
  const target = canonicalTargetOf(manifest, entry);
  if (target.kind !== 'file') return;
  // A shim that re-exports nothing from the target (only manual and stays exports) adds no
  // import of it, so no cycle.
  if (!entry.exports.some(isRedirected)) return;
  const chain = canonicalCycle(root, target.path, paths);
  if (!chain) return;
  const legacy = chain.at(-1) as string;
  throw new ExitError(
    EXIT.USAGE,
    `${legacy}: ${entry.code} cannot be shimmed: its canonical target ${target.path} imports it${chain.length > 2 ? ` (${chain.join(' → ')})` : ''}, so re-exporting from ${target.path} would make a module cycle in which the canonical implementation uses itself under the legacy name; make ${target.path} stop using ${legacy} first; nothing was written`,
  );
}

/** The paths git tracks among these (relative to root). */
export function trackedFiles(root: string, paths: readonly string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const out = git(root, ['ls-files', '-z', '--', ...paths.map((p) => `:(literal)${p}`)]).stdout;
  return new Set(out.split('\0').filter(Boolean));
}

/** Whether a shim re-exports this export from the canonical target. */
function isRedirected(exported: ManifestEntry['exports'][number]): boolean {
  return exported.rewrite === 'same-object' || exported.rewrite === 'rename';
}
