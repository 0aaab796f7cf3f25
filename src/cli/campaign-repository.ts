/**
 * One repository of a campaign: its steps committed on the campaign branch, made from the branch
 * it is on, by migrate itself (a function call: plan, journaled steps, verify, resume); then back
 * on its own branch with a clean tree. A repository that cannot take part, or whose run fails, is
 * left as it was: its branch, its bytes, and the campaign branch as it was before the run (gone
 * if the run created it).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  branchBefore,
  branchTip,
  commitsAhead,
  currentBranch,
  filesChanged,
  isAncestor,
  isCampaignCommit,
  liveSteps,
  markersAt,
  revertedSteps,
} from '../migration/campaign/branches';
import type { RepositoryOutcome } from '../migration/campaign/outcome';
import { pullRequestText } from '../migration/campaign/pull-request';
import { dirtyFiles, git, isGitRepository } from '../migration/git';
import { ignoreInGit, readJournal } from '../migration/journal';
import type { CommandContext } from './command';
import { EXIT } from './exit-error';

/** The campaign's options that every repository shares. */
export interface CampaignRun {
  branch: string;
  /** --all or --step ID. */
  step: string | undefined;
  by: string;
  manifest: string | undefined;
  verify: string | undefined;
  interrupted: Promise<void>;
  /** The CLI, to run migrate with (CommandContext.run). */
  cli: CommandContext['run'];
}

/** A sink for one repository's output: migrate's, kept apart from the other repositories'. */
class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * Runs migrate in this process (the CLI's own `run`: its errors become exit codes and messages as
 * on the command line), on one repository, with output of its own.
 */
async function migrateIn(
  args: string[],
  run: CampaignRun,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await run.cli(['migrate', ...args], {
    stdout,
    stderr,
    interrupted: run.interrupted,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The step options of migrate for this campaign (without the path and the mode). */
function commonArgs(run: CampaignRun): string[] {
  return ['--by', run.by, ...(run.manifest === undefined ? [] : ['--manifest', run.manifest])];
}

/** Step ids the plan of the base finds (those of --step alone when given). */
export async function plannedSteps(
  root: string,
  run: CampaignRun,
): Promise<{ ids: string[] } | { error: string }> {
  const planned = await migrateIn([root, '--plan', '--json', ...commonArgs(run)], run);
  if (planned.code !== EXIT.OK && planned.code !== EXIT.FAILURE)
    return { error: firstProblem(planned.stderr) };
  const ids = (JSON.parse(planned.stdout) as { steps: { id: string }[] }).steps.map((s) => s.id);
  return { ids: run.step === undefined ? ids : ids.filter((id) => id === run.step) };
}

/** The line of migrate's output that says why it stopped. */
function firstProblem(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  return (
    lines.find((line) => line.startsWith('verify failed for')) ??
    lines.find((line) => /refused|could not|rollback incomplete|uncommitted/.test(line)) ??
    lines.at(-1) ??
    'migrate failed'
  );
}

function failed(
  repository: string,
  reason: string,
  extra: Partial<RepositoryOutcome> = {},
): RepositoryOutcome {
  return {
    repository,
    outcome: 'failed',
    reason,
    steps: [],
    files: 0,
    markers: [],
    verify: 'not run',
    ...extra,
  };
}

/** What the campaign branch holds now: its step commits (those not reverted), files and markers. */
function branchState(root: string, base: string, branch: string) {
  const tip = branchTip(root, branch);
  if (tip === undefined) return { steps: [], files: 0, markers: [] };
  const ahead = commitsAhead(root, base, branch);
  const steps = liveSteps(ahead).map((c) => ({
    id: c.step ?? '?',
    commit: c.commit,
    subject: c.subject,
    ...(c.verify === undefined ? {} : { verify: c.verify }),
  }));
  const reverted = revertedSteps(ahead);
  return {
    steps,
    ...(reverted.length === 0 ? {} : { reverted }),
    files: filesChanged(root, base, branch),
    markers: steps.length === 0 ? [] : markersAt(root, tip),
    branch,
  };
}

/**
 * Writes .unified-ws/pull-request.md, which git ignores as it does migrate's journal. Its text
 * comes from the branch's commits (each step's verify from its trailer), not from this run's
 * options; `always: false` keeps a description already there.
 */
function writePullRequest(
  root: string,
  outcome: RepositoryOutcome,
  run: CampaignRun,
  always: boolean,
): string {
  const path = join(root, '.unified-ws', 'pull-request.md');
  if (!always && existsSync(path)) return path;
  mkdirSync(join(root, '.unified-ws'), { recursive: true });
  ignoreInGit(root);
  writeFileSync(path, pullRequestText(outcome, { manifest: run.manifest, root }));
  return path;
}

/** Runs the campaign in one repository. Never throws for the repository's own state. */
export async function runRepository(root: string, run: CampaignRun): Promise<RepositoryOutcome> {
  const { branch } = run;
  if (!isGitRepository(root)) return failed(root, 'not a git repository');
  let base = currentBranch(root);
  const resuming = base === branch;
  if (resuming) {
    // A campaign was stopped in this repository: it goes back to the branch it came from.
    base = branchBefore(root, branch);
    if (base === undefined)
      return failed(
        root,
        `on ${branch}, and git does not say which branch it came from: check out your branch, then run the campaign again`,
      );
    // Changes nobody journaled are someone's work: the campaign does not carry them elsewhere.
    const dirty = readJournal(root) ? [] : dirtyFiles(root, { untracked: false });
    if (dirty.length > 0)
      return failed(root, `on ${branch} with uncommitted changes (${list(dirty)})`, {
        base,
        branch,
      });
  } else {
    if (base === undefined) return failed(root, 'HEAD is detached: check out a branch first');
    const dirty = dirtyFiles(root, { untracked: false });
    if (dirty.length > 0) return failed(root, `uncommitted changes (${list(dirty)})`, { base });
    const journal = readJournal(root);
    if (journal)
      return failed(
        root,
        `migrate step ${journal.step.id} is in progress on ${base}: run \`unified-ws migrate\` to finish it or \`unified-ws migrate --abort\``,
        { base },
      );
  }
  const before = branchTip(root, branch);
  if (before !== undefined) {
    const foreign = commitsAhead(root, base, branch).filter((c) => !isCampaignCommit(c));
    if (foreign.length > 0)
      return failed(
        root,
        `${branch} has ${foreign.length} commit${foreign.length === 1 ? '' : 's'} that ${foreign.length === 1 ? 'is not a campaign step' : 'are not campaign steps'} (${foreign[0]?.commit.slice(0, 10)} ${foreign[0]?.subject})`,
        { base, branch },
      );
    if (!isAncestor(root, base, branch))
      return failed(
        root,
        `behind: ${base} moved since ${branch} was made: rebase ${branch} onto ${base}, or delete it to redo the campaign`,
        { base, branch },
      );
  }
  const ahead = before === undefined ? [] : commitsAhead(root, base, branch);
  const live = new Set(liveSteps(ahead).map((c) => c.step));
  // Reverted by you: the campaign does not make them again.
  const reverted = new Set(revertedSteps(ahead));
  let planned: string[] | undefined;
  if (!resuming || reverted.size > 0) {
    const plan = await plannedSteps(root, run);
    if ('error' in plan)
      return failed(root, plan.error, { base, ...optionalBranch(before, branch) });
    planned = plan.ids.filter((id) => !live.has(id) && !reverted.has(id));
    // A step a killed run left journaled is planned on its half-written files: it goes first
    // (migrate restores them, then makes it), whatever the plan of those files says.
    const journaled = resuming ? readJournal(root)?.step.id : undefined;
    if (journaled !== undefined && !live.has(journaled) && !planned.includes(journaled))
      planned.unshift(journaled);
  }
  if (!resuming && planned?.length === 0) {
    // Done already (or nothing to do) when every step the base plans has its commit on the
    // branch (or was reverted there): skipped, without a checkout.
    const outcome: RepositoryOutcome = {
      repository: root,
      outcome: before === undefined ? 'nothing-to-migrate' : 'up-to-date',
      verify: 'not run',
      base,
      ...branchState(root, base, branch),
    };
    // No step was made by this run: a description already there stays as it is.
    if (before !== undefined) outcome.pullRequest = writePullRequest(root, outcome, run, false);
    return outcome;
  }

  const hadDirectory = existsSync(join(root, '.unified-ws'));
  if (!resuming) git(root, ['checkout', '-q', ...(before === undefined ? ['-b'] : []), branch]);
  // migrate --all would make a reverted step again: with one, the steps left go one by one.
  const selections =
    reverted.size === 0
      ? [run.step === undefined ? ['--all'] : ['--step', run.step]]
      : (planned ?? []).map((id) => ['--step', id]);
  let ran = { code: EXIT.OK as number, stdout: '', stderr: '' };
  const results: { id: string; status: string }[] = [];
  for (const selection of selections) {
    const one = await migrateIn(
      [
        root,
        ...selection,
        ...commonArgs(run),
        ...(run.verify === undefined ? [] : ['--verify', run.verify]),
        '--json',
      ],
      run,
    );
    results.push(...parseSteps(one.stdout));
    ran = { code: one.code, stdout: one.stdout, stderr: ran.stderr + one.stderr };
    if (one.code !== EXIT.OK) break;
  }
  const committedNow = results.filter((r) => r.status === 'committed').length;

  if (ran.code === EXIT.ROLLBACK_INCOMPLETE || readJournal(root) !== undefined)
    // Its files are not all back (a rollback left incomplete, or a resume refused because a file
    // of the step changed since): it stays where migrate --abort can finish the rollback.
    return failed(
      root,
      `${firstProblem(ran.stderr)}; run \`unified-ws migrate --abort\` in it, then the campaign again`,
      {
        base,
        branch,
      },
    );
  git(root, ['checkout', '-q', base]);
  const stepsOn = () => commitsAhead(root, base as string, branch).length;
  if (ran.code === EXIT.OK || ran.code === EXIT.INTERRUPTED) {
    // Committed steps passed their verify: they stay. A branch with none is not left behind.
    if (stepsOn() === 0) git(root, ['branch', '-q', '-D', branch]);
    const state = branchState(root, base, branch);
    const outcome: RepositoryOutcome = {
      repository: root,
      outcome:
        ran.code === EXIT.INTERRUPTED
          ? 'interrupted'
          : stepsOn() === 0
            ? 'nothing-to-migrate'
            : 'done',
      verify: run.verify === undefined ? 'none' : committedNow > 0 ? 'passed' : 'not run',
      base,
      ...state,
    };
    if (outcome.outcome === 'done')
      outcome.pullRequest = writePullRequest(root, outcome, run, true);
    return outcome;
  }
  // Failed: migrate rolled the step back; the campaign branch goes back to where it was.
  // (A branch that a killed run created and left without a step is not kept either.)
  if (before === undefined) git(root, ['branch', '-q', '-D', branch]);
  else git(root, ['branch', '-q', '-f', branch, before]);
  if (before !== undefined && stepsOn() === 0) git(root, ['branch', '-q', '-D', branch]);
  const kept = before !== undefined && branchTip(root, branch) !== undefined;
  if (!hadDirectory && readJournal(root) === undefined)
    rmSync(join(root, '.unified-ws'), { recursive: true, force: true });
  return failed(root, firstProblem(ran.stderr), {
    base,
    ...(kept ? { branch } : {}),
    verify: ran.stderr.includes('verify failed for') ? 'failed' : 'not run',
    log: ran.stderr,
  });
}

/** The first few paths, for a one-line reason. */
function list(paths: readonly string[]): string {
  return `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}`;
}

function optionalBranch(before: string | undefined, branch: string): { branch?: string } {
  return before === undefined ? {} : { branch };
}

function parseSteps(stdout: string): { id: string; status: string }[] {
  try {
    return (JSON.parse(stdout) as { steps: { id: string; status: string }[] }).steps;
  } catch {
    return [];
  }
}
