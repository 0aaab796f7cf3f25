/**
 * Running one journaled step: the journal of every original byte, the writes, the verify, the
 * commit, and the rollback from the journal when any of them fails. `migrate` runs the codemod's
 * steps through runJournaledStep (migrate-step.ts), and `shim` its own through the same one.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, writeAtomically } from '../migration/codemod/process-file';
import { commitHooks, commitPaths, UNTRACKED_TRAILER } from '../migration/git';
import {
  beginStep,
  clearJournal,
  removeUntrackedRecord,
  rollBack,
  untrackedTrailerValue,
  setState,
  stepCommitted,
  type Journal,
  type RestoreResult,
  type StepFile,
} from '../migration/journal';
import type { CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import type { StepResult } from './migrate-results';
import { tail, verifyStep } from './migrate-verify';

/** What a step run ended with: its result, and the exit code when it ends the run. */
export interface StepOutcome {
  result: StepResult;
  exit?: number;
}

/** One line per file a rollback could not restore, and what to do about it. */
export function incompleteMessage(stepId: string, failed: RestoreResult['failed']): string {
  return `rollback incomplete: ${count(failed.length, 'file')} of step ${stepId} could not be restored (the journal and backups are kept in .unified-ws/):\n${failed
    .map((f) => `  ${f.path}: ${f.reason}`)
    .join(
      '\n',
    )}\nclear what is in their way, then run \`unified-ws migrate --abort\` to finish the rollback`;
}

/**
 * Undoes the step in progress from the journal. Says "rolled back" (and how) or, when a file
 * could not be restored, names it; the outcome carries the exit code that ends the run.
 */
function undoStep(
  root: string,
  journal: Journal,
  result: StepResult,
  io: CommandIO,
  reason: 'interrupted' | 'failed',
): StepOutcome {
  const restored = rollBack(root, journal);
  if (restored.failed.length > 0) {
    io.stderr.write(`${incompleteMessage(journal.step.id, restored.failed)}\n`);
    return {
      result: { ...result, status: 'rollback-incomplete', notRestored: restored.failed },
      exit: EXIT.ROLLBACK_INCOMPLETE,
    };
  }
  const files = count(restored.restored.length + restored.unchanged.length, 'file');
  if (reason === 'interrupted') {
    io.stderr.write(`interrupted: step ${journal.step.id} rolled back (${files} restored)\n`);
    return { result: { ...result, status: 'interrupted' }, exit: EXIT.INTERRUPTED };
  }
  io.stderr.write(`step ${journal.step.id} rolled back: ${files} restored\n`);
  return { result: { ...result, status: 'rolled-back' }, exit: EXIT.FAILURE };
}

/** How journaled steps run: where, verified by what, committed or not, and the IO. */
export interface StepRunner {
  root: string;
  verify: string | undefined;
  commit: boolean;
  /** HEAD before the next step (kept up to date after each commit; only when committing). */
  head: string | undefined;
  noVerify: boolean;
  io: CommandIO;
  interrupted: () => boolean;
}

/** A step ready to run: its files with their new texts, and how its commit is described. */
export interface JournaledStep {
  /** The step id: the journal's, and the value of the commit's STEP_TRAILER (revert finds it). */
  id: string;
  codes: string[];
  files: StepFile[];
  /** Markers the step leaves, for its result. */
  marked: number;
  /** The commit message, trailer included, for this many committed (tracked) files. */
  message(committed: number): string;
}

/**
 * The files of a step as the journal records them: each one's bytes now — which must still be
 * the ones its new text was computed from (`sourceHash`), or nothing of the step is written — its
 * mode, and whether git tracks it.
 */
export function stepFiles(
  root: string,
  stepId: string,
  changes: readonly { path: string; output: string; sourceHash?: string | undefined }[],
  tracked: ReadonlySet<string>,
  again = 'run migrate again',
): StepFile[] {
  return changes.map((file) => {
    const path = join(root, file.path);
    const original = readFileSync(path);
    if (file.sourceHash !== undefined && sha256(original) !== file.sourceHash)
      throw new ExitError(
        EXIT.FAILURE,
        `${file.path} changed while step ${stepId} was being prepared: nothing of the step was written; ${again}`,
      );
    return {
      path: file.path,
      original,
      output: file.output,
      mode: statSync(path).mode,
      tracked: tracked.has(file.path),
    };
  });
}

/**
 * One journaled step: the journal with every original byte; the writes (each atomic); the
 * verify; the commit, with the step's trailer. Anything that stops it after the journal is
 * written — a failed verify, a refused commit, an interrupt, a write that fails — restores every
 * file from the journal.
 */
export async function runJournaledStep(
  runner: StepRunner,
  step: JournaledStep,
): Promise<StepOutcome> {
  const { root, io } = runner;
  const { files, marked } = step;
  const result: StepResult = { id: step.id, status: 'unchanged', changed: files.length, marked };
  const untracked = files.filter((file) => !file.tracked).map((file) => file.path);
  if (untracked.length > 0) result.untracked = untracked;
  if (files.length === 0) return { result };
  if (runner.interrupted()) {
    io.stderr.write(`interrupted: step ${step.id} rolled back (nothing was written)\n`);
    return { result: { ...result, status: 'interrupted' }, exit: EXIT.INTERRUPTED };
  }

  let journal = beginStep(
    root,
    { id: step.id, codes: step.codes, ...optional('head', runner.head) },
    files,
  );
  try {
    for (const file of files) {
      try {
        writeAtomically(join(root, file.path), file.output, file.mode);
      } catch (error) {
        io.stderr.write(`could not write ${file.path}: ${(error as Error).message}\n`);
        return undoStep(root, journal, result, io, 'failed');
      }
    }
    if (runner.interrupted()) return undoStep(root, journal, result, io, 'interrupted');

    if (runner.verify !== undefined) {
      journal = setState(root, journal, 'verifying');
      const verified = await verifyStep(root, step.id, runner.verify, io);
      if (verified !== 'passed') return undoStep(root, journal, result, io, verified);
    }
    if (runner.interrupted()) return undoStep(root, journal, result, io, 'interrupted');

    const commitPathsOf = files.filter((file) => file.tracked).map((file) => file.path);
    if (!runner.commit || commitPathsOf.length === 0) {
      // No commit names the record of the untracked files: revert has nothing to restore them for.
      removeUntrackedRecord(root, journal.step);
      clearJournal(root);
      if (runner.commit)
        io.stderr.write(`${step.id}: only untracked files changed: nothing to commit\n`);
      return { result: { ...result, status: 'applied' } };
    }
    const record = untrackedTrailerValue(root, journal.step);
    if (record !== undefined) result.untrackedRecord = record;
    journal = setState(root, journal, 'committing');
    const committed = await commitPaths(
      root,
      withUntracked(step.message(commitPathsOf.length), untracked, record),
      commitPathsOf,
      { noVerify: runner.noVerify },
    );
    if (!committed.ok) {
      // A commit that landed although git was stopped afterwards is kept, never rolled back.
      const landed = stepCommitted(root, journal.step);
      if (!landed) {
        const hooks = runner.noVerify ? [] : commitHooks(root);
        const output = committed.output.trim().split(/\r?\n/).filter(Boolean);
        io.stderr.write(
          `${
            hooks.length > 0
              ? `the ${hooks.join(' or ')} hook refused the commit of step ${step.id}`
              : `git could not commit step ${step.id} (${committed.signal ? `killed by ${committed.signal}` : `exit code ${committed.status}`})`
          }; ${tail(output)}`,
        );
        return undoStep(root, journal, result, io, 'failed');
      }
      clearJournal(root);
      return { result: { ...result, status: 'committed', commit: landed } };
    }
    clearJournal(root);
    runner.head = committed.commit;
    if (untracked.length > 0)
      io.stderr.write(
        `${step.id}: ${count(untracked.length, 'untracked file')} rewritten, not committed: ${untracked.join(', ')}; ${untracked.length === 1 ? 'its' : 'their'} bytes from before are kept in ${record}, and \`unified-ws revert ${step.id}\` restores them\n`,
      );
    return { result: { ...result, status: 'committed', commit: committed.commit } };
  } catch (error) {
    // Something unforeseen (a journal that cannot be written, git gone): undo, then report it.
    const restored = rollBack(root, journal);
    if (restored.failed.length > 0)
      io.stderr.write(`${incompleteMessage(step.id, restored.failed)}\n`);
    throw error;
  }
}

/**
 * A step's commit message, with the untracked files it rewrote named in a paragraph of their own
 * and the record of their bytes in a trailer beside the step's, for revert.
 */
function withUntracked(
  message: string,
  untracked: readonly string[],
  record: string | undefined,
): string {
  if (record === undefined || untracked.length === 0) return message;
  const split = message.lastIndexOf('\n\n');
  const body = split === -1 ? message : message.slice(0, split);
  const trailers = split === -1 ? '' : message.slice(split + 2);
  return [
    body,
    '',
    `Also rewrote ${count(untracked.length, 'untracked file')}, which ${untracked.length === 1 ? 'is' : 'are'} not in this commit: ${untracked.join(', ')} (${untracked.length === 1 ? 'its' : 'their'} bytes from before are kept in ${record}; unified-ws revert restores them).`,
    '',
    `${trailers}${trailers === '' ? '' : '\n'}${UNTRACKED_TRAILER}: ${record}`,
  ].join('\n');
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
