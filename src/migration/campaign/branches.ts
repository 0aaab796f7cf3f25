/**
 * What a campaign reads from a repository's git: the branch it is on, the campaign branch, the
 * step commits on it (recognised by their STEP_TRAILER) and anything else on it. A campaign keeps
 * no state file: where a repository stands is derived from these and from migrate's journal.
 */
import { git, REVERTS, STEP_TRAILER, VERIFY_TRAILER } from '../git';

/** The default name of the branch a campaign commits its steps on. */
export const DEFAULT_CAMPAIGN_BRANCH = 'unified-ws/consolidation';

/** The branch checked out, or undefined when HEAD is detached. */
export function currentBranch(root: string): string | undefined {
  const out = git(root, ['symbolic-ref', '--short', '-q', 'HEAD'], true);
  return out.status === 0 ? out.stdout.trim() || undefined : undefined;
}

/** The commit a branch points at, or undefined when there is no such branch. */
export function branchTip(root: string, branch: string): string | undefined {
  const out = git(root, ['rev-parse', '-q', '--verify', `refs/heads/${branch}^{commit}`], true);
  return out.status === 0 ? out.stdout.trim() : undefined;
}

/** Whether `ancestor` is reachable from `descendant`. */
export function isAncestor(root: string, ancestor: string, descendant: string): boolean {
  return git(root, ['merge-base', '--is-ancestor', ancestor, descendant], true).status === 0;
}

/** A commit on the campaign branch that its base does not have. */
export interface BranchCommit {
  commit: string;
  subject: string;
  /** Its STEP_TRAILER: undefined for a commit that is not a campaign step. */
  step: string | undefined;
  /** Its VERIFY_TRAILER: the verify the step passed, when it was given one. */
  verify: string | undefined;
  /**
   * For `unified-ws revert` of a step on the branch (git revert's "This reverts commit <sha>"
   * line, as revert writes it): the step commit it reverts. Such a commit is the campaign's too.
   */
  reverts: string | undefined;
  /** For a step commit: the revert on the branch that undid it. */
  revertedBy?: string;
}

/** The commits on `branch` that `base` does not have, oldest first. */
export function commitsAhead(root: string, base: string, branch: string): BranchCommit[] {
  const out = git(root, [
    'log',
    '--reverse',
    `--format=%H%x00%s%x00%(trailers:key=${STEP_TRAILER},valueonly,separator=%x1f)%x00%(trailers:key=${VERIFY_TRAILER},valueonly,separator=%x1f)%x00%b%x01`,
    `${base}..refs/heads/${branch}`,
  ]).stdout;
  const commits: BranchCommit[] = out
    .split('\x01')
    .map((record) => record.trim().split('\x00'))
    .filter(([commit]) => commit !== undefined && /^[0-9a-f]{40,64}$/.test(commit))
    .map(([commit = '', subject = '', step = '', verify = '', body = '']) => ({
      commit,
      subject,
      step: step.split('\x1f')[0]?.trim() || undefined,
      verify: verify.split('\x1f')[0]?.trim() || undefined,
      reverts: REVERTS.exec(body)?.[1],
    }));
  // A revert counts only when what it reverts is a step commit of this branch, not yet reverted.
  const byCommit = new Map<string, BranchCommit>(commits.map((c) => [c.commit, c]));
  for (const c of commits as BranchCommit[]) {
    const target = c.reverts === undefined ? undefined : byCommit.get(c.reverts);
    if (target?.step === undefined || target.revertedBy !== undefined) c.reverts = undefined;
    else target.revertedBy = c.commit;
  }
  return commits;
}

/** The campaign's own commits: its steps, and `unified-ws revert`s of them. */
export function isCampaignCommit(c: BranchCommit): boolean {
  return c.step !== undefined || c.reverts !== undefined;
}

/** The steps reverted on the branch (and not made again since), in their order. */
export function revertedSteps(commits: readonly BranchCommit[]): string[] {
  const live = new Set(liveSteps(commits).map((c) => c.step));
  const ids = commits
    .filter((c) => c.step !== undefined && c.revertedBy !== undefined && !live.has(c.step))
    .map((c) => c.step as string);
  return [...new Set(ids)];
}

/** The step commits that no revert on the branch undid: what the branch holds. */
export function liveSteps(commits: readonly BranchCommit[]): BranchCommit[] {
  return commits.filter((c) => c.step !== undefined && c.revertedBy === undefined);
}

/**
 * The branch a repository was on before a campaign checked out its branch: git's own record of
 * the last checkout that moved to it (the HEAD reflog). A killed campaign leaves the repository
 * on its branch; the next run goes back to the branch named here.
 */
export function branchBefore(root: string, branch: string): string | undefined {
  const out = git(root, ['reflog', 'show', '-n', '500', '--format=%gs', 'HEAD'], true).stdout;
  const suffix = ` to ${branch}`;
  for (const line of out.split('\n')) {
    const subject = line.trim();
    if (!subject.startsWith('checkout: moving from ') || !subject.endsWith(suffix)) continue;
    const from = subject.slice('checkout: moving from '.length, -suffix.length);
    if (from !== branch && branchTip(root, from) !== undefined) return from;
  }
  return undefined;
}

/**
 * The markers left on a commit for a person to migrate by hand (the codemod's `// unified-ws(CODE):`
 * comments), as file:line with their text, read from the commit itself (no checkout).
 */
export function markersAt(
  root: string,
  commit: string,
): { file: string; line: number; text: string }[] {
  const out = git(
    root,
    ['grep', '-n', '-I', '-E', '--full-name', '//[[:space:]]*unified-ws\\([^)]+\\):', commit, '--'],
    true,
  ).stdout;
  const markers: { file: string; line: number; text: string }[] = [];
  for (const row of out.split('\n')) {
    const match = /^[^:]+:(.+?):(\d+):(.*)$/.exec(row);
    if (match)
      markers.push({
        file: match[1] as string,
        line: Number(match[2]),
        text: (match[3] as string).trim(),
      });
  }
  return markers;
}

/** How many files differ between base and branch. */
export function filesChanged(root: string, base: string, branch: string): number {
  return git(root, ['diff', '--name-only', base, `refs/heads/${branch}`], true)
    .stdout.split('\n')
    .filter(Boolean).length;
}
