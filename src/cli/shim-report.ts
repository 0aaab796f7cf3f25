import { STEP_TRAILER } from '../migration/git';
import type { ShimFileResult } from '../migration/shim-module';
import { canonicalOf } from '../manifest/targets';
import type { Manifest } from '../manifest/types';
import type { CommandIO } from './command';
import { count } from './format';
import { printResults, type StepResult } from './migrate-step';
import { stepId, type ShimStep } from './shim-steps';

// What `unified-ws shim` tells: the notes of each file, the commit message of a step, how to undo
// a --no-commit run, and the report (text or --json).

/** What a file's shim leaves to people: kept names the manifest does not move, and why. */
export function notesOf(result: ShimFileResult): string[] {
  return [
    ...result.kept
      .filter((k) => k.rewrite === 'unlisted' || k.reason !== undefined)
      .map((k) =>
        k.reason === undefined
          ? `${result.path}: ${k.name} is not in the manifest: kept as it is`
          : `${result.path}: ${k.name} kept: ${k.reason}`,
      ),
    ...result.notes,
  ];
}

export function commitMessage(manifest: Manifest, step: ShimStep, committed: number): string {
  const { entry } = step;
  const names = (list: string[]) => list.join(', ') || 'nothing';
  return [
    `unified-ws: shim ${entry.code} (${count(committed, 'file')})`,
    '',
    ...step.results
      .filter((r) => r.status === 'shimmed')
      .map(
        (r) =>
          `- ${r.path}: ${names(r.moved.map((m) => m.name))} from ${canonicalOf(manifest, entry)}; kept: ${names(r.kept.map((k) => k.name))}`,
      ),
    '',
    `${STEP_TRAILER}: ${stepId(entry.code)}`,
  ].join('\n');
}

/**
 * After --no-commit, how to undo what was applied: `revert` undoes commits (and refuses a dirty
 * tree), so the files are restored from git's index.
 */
export function undoNote(
  io: CommandIO,
  results: readonly StepResult[],
  steps: readonly ShimStep[],
  tracked: ReadonlySet<string>,
): void {
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.id));
  const paths = steps
    .filter((s) => applied.has(stepId(s.entry.code)))
    .flatMap((s) => s.changes.map((c) => c.path));
  if (paths.length === 0) return;
  const restorable = paths.filter((p) => tracked.has(p)).map(shellWord);
  const untracked = paths.filter((p) => !tracked.has(p));
  const files = restorable.join(' ');
  io.stderr.write(
    `note: --no-commit: the shim is not committed, so revert cannot undo it; to undo: ${
      restorable.length > 0
        ? `git restore -- ${files} (git checkout -- ${files} before git 2.23)`
        : 'nothing in git has the files'
    }${untracked.length > 0 ? `; not tracked by git, so only your own copy restores: ${untracked.join(', ')}` : ''}\n`,
  );
}

/** A path as one word of a shell command. */
function shellWord(path: string): string {
  return /^[\w./@+,:=-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export function report(
  io: CommandIO,
  results: StepResult[],
  steps: ShimStep[],
  json: boolean,
): void {
  if (!json) {
    printResults(io, results, false, 'nothing to shim');
    return;
  }
  const files = new Map(steps.map((s) => [stepId(s.entry.code), s.results]));
  io.stdout.write(
    `${JSON.stringify(
      {
        steps: results.map((result) => ({
          ...result,
          files: (files.get(result.id) ?? []).map(({ output: _output, ...file }) => ({
            ...file,
            notes: notesOf(file),
          })),
        })),
      },
      null,
      2,
    )}\n`,
  );
}
