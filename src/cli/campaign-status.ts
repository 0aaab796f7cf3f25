/**
 * `campaign --status`: where each repository stands, derived from its branches, its step commits
 * and migrate's journal alone — a campaign keeps no state file that could drift from them. A
 * failed run leaves its repository as it was, so a failure shows as "not started" (or "partial"
 * with the steps committed by earlier runs); the failure itself is in that run's summary.
 */
import {
  branchBefore,
  branchTip,
  commitsAhead,
  currentBranch,
  isAncestor,
  isCampaignCommit,
  liveSteps,
  revertedSteps,
} from '../migration/campaign/branches';
import { dirtyFiles, isGitRepository } from '../migration/git';
import { readJournal } from '../migration/journal';
import { plannedSteps, type CampaignRun } from './campaign-repository';

export interface RepositoryStatus {
  repository: string;
  state:
    | 'not a repository'
    | 'not started'
    | 'in progress'
    | 'partial'
    | 'done'
    | 'behind'
    | 'blocked'
    | 'unknown';
  detail: string;
  /** Step commits on the campaign branch. */
  steps: number;
}

export async function statusOf(root: string, run: CampaignRun): Promise<RepositoryStatus> {
  const status = (state: RepositoryStatus['state'], detail: string, steps = 0) => ({
    repository: root,
    state,
    detail,
    steps,
  });
  if (!isGitRepository(root)) return status('not a repository', 'not a git repository');
  const journal = readJournal(root);
  if (journal)
    return status(
      'in progress',
      `step ${journal.step.id} was interrupted while ${journal.step.state}: run the campaign again to resume it`,
    );
  const base = currentBranch(root);
  if (base === run.branch) {
    // The steps are counted from the branch it came from, as the campaign will.
    const from = branchBefore(root, run.branch);
    const count = from === undefined ? 0 : liveSteps(commitsAhead(root, from, run.branch)).length;
    const dirty = dirtyFiles(root, { untracked: false });
    if (dirty.length > 0)
      return status(
        'blocked',
        `on ${run.branch} with uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}), which the campaign leaves where they are: commit or discard them${from === undefined ? '' : `, check out ${from}`}, then run the campaign again`,
        count,
      );
    return status(
      'in progress',
      `stopped on ${run.branch}${from === undefined ? '' : ` (from ${from})`}: run the campaign again to finish`,
      count,
    );
  }
  if (base === undefined) return status('unknown', 'HEAD is detached');
  if (branchTip(root, run.branch) === undefined) return status('not started', `no ${run.branch}`);
  const ahead = commitsAhead(root, base, run.branch);
  const foreign = ahead.filter((c) => !isCampaignCommit(c));
  const steps = liveSteps(ahead);
  const reverted = revertedSteps(ahead);
  const revertedNote = reverted.length === 0 ? '' : `; reverted by you: ${reverted.join(', ')}`;
  if (foreign.length > 0)
    return status(
      'blocked',
      `${run.branch} has ${foreign.length} commit(s) that are not campaign steps`,
      steps.length,
    );
  if (!isAncestor(root, base, run.branch))
    return status('behind', `${base} moved since ${run.branch} was made`, steps.length);
  const planned = await plannedSteps(root, run);
  if ('error' in planned) return status('unknown', planned.error, steps.length);
  const committed = new Set([...steps.map((c) => c.step), ...reverted]);
  const left = planned.ids.filter((id) => !committed.has(id));
  if (left.length > 0)
    return status(
      steps.length === 0 ? 'not started' : 'partial',
      `${steps.length} step commit(s); left to do: ${left.join(', ')}${revertedNote}`,
      steps.length,
    );
  return status(
    'done',
    `${steps.length} step commit(s) on ${run.branch}, nothing left to plan${revertedNote}`,
    steps.length,
  );
}

export function statusTable(statuses: readonly RepositoryStatus[]): string {
  const width = Math.max(10, ...statuses.map((s) => s.repository.length));
  const stateWidth = Math.max(...statuses.map((s) => s.state.length), 5);
  return [
    `${'repository'.padEnd(width)}  ${'state'.padEnd(stateWidth)}  detail`,
    ...statuses.map(
      (s) => `${s.repository.padEnd(width)}  ${s.state.padEnd(stateWidth)}  ${s.detail}`,
    ),
  ].join('\n');
}
