/**
 * A campaign's inputs, checked once before any repository is touched: a step that no manifest
 * code names, a manifest that cannot be read, a branch name git refuses are one usage error
 * (exit 2), not the same failure in every repository. And the repositories themselves, each
 * resolved to its root so that one repository named twice (or by a subfolder) runs once.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { isManifestError } from '../errors/manifest-error';
import { loadManifest } from '../manifest/load';
import type { Manifest } from '../manifest/types';
import { git } from '../migration/git';
import { EXIT, ExitError } from './exit-error';
import { isKnownStep } from './migrate-plan';

/** The manifest the campaign migrates with (unified-ws's without --manifest); a bad one is named. */
export function campaignManifest(path: string | undefined): Manifest {
  try {
    return loadManifest(path);
  } catch (error) {
    if (!isManifestError(error)) throw error;
    // One message, the file first: "<file> is not a valid manifest: <problem>; <problem>".
    const [problem, ...more] = error.problems.map((p) => p.trim());
    throw new ExitError(
      EXIT.USAGE,
      `--manifest ${path}: not a valid manifest: ${[problem, ...more].join('; ')}`,
    );
  }
}

/** --step ID: refused as migrate refuses it (a code of the manifest, or dir:<directory>). */
export function checkStep(manifest: Manifest, step: string | undefined): void {
  if (step === undefined || isKnownStep(manifest, step)) return;
  throw new ExitError(
    EXIT.USAGE,
    `unknown step "${step}": the manifest's steps are ${manifest.entries.map((e) => e.code).join(', ')} (or dir:<directory> with --by dir)`,
  );
}

/** --branch name: a name git takes for a branch (`git check-ref-format --branch`). */
export function checkBranch(branch: string): void {
  const result = spawnSync('git', ['check-ref-format', '--branch', branch], { encoding: 'utf8' });
  if (result.error) throw result.error;
  // `@{-1}` and the like pass when run inside a repository (git expands them): not a name.
  if (branch.startsWith('-') || branch.includes('@{') || result.status !== 0)
    throw new ExitError(EXIT.USAGE, `--branch "${branch}" is not a valid branch name`);
}

/** The repositories to run, each once, and the paths that named one already in the list. */
export function distinctRepositories(paths: readonly string[]): {
  roots: string[];
  duplicates: { path: string; sameAs: string }[];
} {
  const byTop = new Map<string, string>();
  const roots: string[] = [];
  const duplicates: { path: string; sameAs: string }[] = [];
  for (const path of paths) {
    const top = git(path, ['rev-parse', '--show-toplevel'], true);
    // A path in no repository stays as given: its run reports "not a git repository".
    const key = top.status === 0 ? top.stdout.trim() : path;
    const first = byTop.get(key);
    if (first !== undefined) {
      duplicates.push({ path, sameAs: first });
      continue;
    }
    byTop.set(key, path);
    // The path as given when it is the root itself (git's answer has symbolic links resolved).
    roots.push(top.status !== 0 || realpathSync(path) === key ? path : key);
  }
  return { roots, duplicates };
}
