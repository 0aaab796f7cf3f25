/** What the steps of a run did: each one's result, printed as lines or as JSON. */
import type { CommandIO } from './command';
import { count } from './format';

export interface StepResult {
  id: string;
  status:
    | 'committed'
    | 'applied'
    | 'unchanged'
    | 'rolled-back'
    | 'rollback-incomplete'
    | 'interrupted'
    | 'dry-run';
  changed: number;
  marked: number;
  commit?: string;
  diff?: string;
  /** Untracked files the step rewrote (--include-untracked): never in its commit. */
  untracked?: string[];
  /**
   * Where their bytes from before are kept (from the top of the work tree), as its commit's
   * Unified-Ws-Untracked trailer says: revert restores them from it.
   */
  untrackedRecord?: string;
  /** Files a rollback could not restore, with why. */
  notRestored?: { path: string; reason: string }[];
}

/**
 * The results of a run: each step's diff (dry runs), then one line per step — or the results
 * as JSON with --json.
 */
export function printResults(
  io: CommandIO,
  results: StepResult[],
  json: boolean,
  nothing = 'nothing to migrate',
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ steps: results }, null, 2)}\n`);
    return;
  }
  for (const result of results) {
    if (result.diff) io.stdout.write(result.diff);
    io.stdout.write(`${result.id}: ${resultLine(result)}\n`);
  }
  if (results.length === 0) io.stdout.write(`${nothing}\n`);
}

/**
 * What a step did, in words: a rollback says how many files it restored, not "changed"; a commit
 * with untracked files says how many files are in the commit and how many untracked ones (in no
 * commit) were rewritten.
 */
function resultLine(result: StepResult): string {
  const markers = result.marked ? `, ${count(result.marked, 'marker')}` : '';
  const commit = result.commit ? ` (${result.commit.slice(0, 10)})` : '';
  const untracked = result.untracked?.length ?? 0;
  switch (result.status) {
    case 'committed':
      if (untracked === 0) break;
      return `${count(result.changed - untracked, 'file')} committed, ${count(untracked, 'untracked file')} rewritten${markers}${commit}`;
    case 'rolled-back':
      return `rolled back: ${count(result.changed, 'file')} restored`;
    case 'rollback-incomplete':
      return `rollback incomplete: ${result.notRestored?.length ?? 0} of ${count(result.changed, 'file')} not restored`;
  }
  return `${result.status}, ${count(result.changed, 'file')} changed${markers}${commit}`;
}
