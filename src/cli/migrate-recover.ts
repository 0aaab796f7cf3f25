/**
 * A run that stopped in the middle of a step left its journal in .unified-ws/: the next run
 * resumes from it, and `migrate --abort` undoes the step.
 */
import {
  changedSince,
  clearJournal,
  readJournal,
  rollBack,
  stepCommitted,
  type Journal,
} from '../migration/journal';
import type { CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { incompleteMessage } from './migrate-step';

/**
 * A journal left by a run that stopped: the step's commit landed (forget the journal), or the step
 * is undone from it so that this run can do it again. Refuses when a file of the step holds
 * neither its old nor its new bytes (someone changed it since), or a rollback was left incomplete.
 */
export function resumeFrom(root: string, journal: Journal, io: CommandIO): void {
  const { step } = journal;
  const landed = stepCommitted(root, step);
  if (landed) {
    clearJournal(root);
    io.stderr.write(
      `resuming after step ${step.id}: its commit ${landed.slice(0, 10)} landed before the run stopped\n`,
    );
    return;
  }
  if (step.state === 'rolling-back')
    throw new ExitError(
      EXIT.USAGE,
      `the rollback of step ${step.id} did not finish: run \`unified-ws migrate --abort\` to finish it first`,
    );
  const changed = changedSince(root, step);
  if (changed.length > 0)
    throw new ExitError(
      EXIT.USAGE,
      `step ${step.id} was interrupted while ${step.state}, and since then ${changed.join(', ')} changed: run \`unified-ws migrate --abort\` to restore every file of the step from .unified-ws/ (those changes are lost)`,
    );
  const restored = rollBack(root, journal);
  if (restored.failed.length > 0)
    throw new ExitError(EXIT.ROLLBACK_INCOMPLETE, incompleteMessage(step.id, restored.failed));
  io.stderr.write(
    `resuming step ${step.id}, interrupted while ${step.state}: restored its ${count(step.files.length, 'file')} from .unified-ws/, running it again\n`,
  );
}

/** `migrate --abort`: undoes the step a stopped run or an incomplete rollback left behind. */
export function abort(root: string, io: CommandIO, json: boolean): number {
  const journal = readJournal(root);
  if (!journal)
    throw new ExitError(
      EXIT.USAGE,
      `nothing to abort: no migration step is in progress in ${root}`,
    );
  const { step } = journal;
  const landed = stepCommitted(root, step);
  if (landed) {
    clearJournal(root);
    io.stdout.write(
      json
        ? `${JSON.stringify({ aborted: step.id, committed: landed })}\n`
        : `step ${step.id} was committed (${landed.slice(0, 10)}) before the run stopped: nothing to roll back; \`unified-ws revert ${step.id}\` undoes it\n`,
    );
    return EXIT.OK;
  }
  const restored = rollBack(root, journal);
  if (restored.failed.length > 0)
    throw new ExitError(EXIT.ROLLBACK_INCOMPLETE, incompleteMessage(step.id, restored.failed));
  io.stdout.write(
    json
      ? `${JSON.stringify({ aborted: step.id, restored: restored.restored, unchanged: restored.unchanged })}\n`
      : `rolled back step ${step.id}: ${count(restored.restored.length + restored.unchanged.length, 'file')} restored\n`,
  );
  return EXIT.OK;
}
