/** What a campaign did in one repository: the row of its summary and of its --json output. */
export interface RepositoryOutcome {
  repository: string;
  /**
   * done: the campaign branch holds every planned step; up-to-date: it already did (skipped);
   * nothing-to-migrate: no legacy use (no branch is left); failed: see reason (the repository is
   * as it was); interrupted: stopped, resumable by running the campaign again.
   */
  outcome: 'done' | 'up-to-date' | 'nothing-to-migrate' | 'failed' | 'interrupted';
  reason?: string;
  /** Step commits on the campaign branch (this run's and earlier runs'). */
  steps: { id: string; commit: string; subject: string; verify?: string }[];
  /**
   * Steps whose commit on the campaign branch was reverted (`unified-ws revert` on the branch):
   * the campaign leaves them out from then on ("reverted by you").
   */
  reverted?: string[];
  /** Files that differ between the base and the campaign branch. */
  files: number;
  /** Markers left for a person to migrate by hand, on the campaign branch. */
  markers: { file: string; line: number; text: string }[];
  verify: 'passed' | 'failed' | 'not run' | 'none';
  /** The campaign branch, when it exists after the run. */
  branch?: string;
  /** The branch the repository is on (before and after). */
  base?: string;
  /** What migrate said in a repository that failed (its whole output, for the details). */
  log?: string;
  /** The pull-request description, when one was written. */
  pullRequest?: string;
}
