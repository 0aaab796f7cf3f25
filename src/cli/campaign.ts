import { resolve } from 'node:path';
import { DEFAULT_CAMPAIGN_BRANCH } from '../migration/campaign/branches';
import type { RepositoryOutcome } from '../migration/campaign/outcome';
import { summaryJson, summaryTable } from '../migration/campaign/summary';
import { STEP_TRAILER } from '../migration/git';
import { repositories } from './repository-list';
import { runRepository, type CampaignRun } from './campaign-repository';
import { statusOf, statusTable } from './campaign-status';
import { campaignManifest, checkBranch, checkStep, distinctRepositories } from './campaign-inputs';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { MANIFEST_OPTION, parse } from './parse';
import { progressFor } from './progress';

const usage = `Usage: unified-ws campaign [repos…] [--list file] (--all | --step ID | --status) [options]

Runs \`unified-ws migrate\` across many repositories: in each, the steps are committed on a
campaign branch made from the branch it is on (each step journaled, verified, one commit with
its "${STEP_TRAILER}" trailer, revertible), then the repository is back on its own branch with a
clean tree, and .unified-ws/pull-request.md (ignored by git) describes the branch for a pull
request. A repository that is not a git repository, has uncommitted changes, a campaign branch
with other commits on it, or whose verify fails is reported and left as it was (its campaign
branch as before the run, deleted if the run created it); the others go on. Running the same
campaign again skips the repositories that are done and resumes one that was interrupted.
Each path runs at the root of its repository, once (a repository named twice, or by a subfolder,
is said on stderr). A step undone with \`unified-ws revert <step>\` on the campaign branch is
reverted by you: later runs leave it out.

  --list file          also the repositories listed in file, one path per line (# comments)
  --all                apply every step, in order
  --step ID            apply one step (a code such as UWS004, or dir:<directory> with --by dir)
  --verify "cmd"       a command that must pass after each step, run in the repository
  --by code|dir        one step per deprecation code (default) or per top-level directory
  --manifest file      a JSON manifest of your own consolidation (default: unified-ws's)
  --branch name        the campaign branch (default: ${DEFAULT_CAMPAIGN_BRANCH})
  --concurrency N      repositories in flight at once (default: 2)
  --status             where each repository stands, from its branches and journal; change nothing
  --json               machine-readable output

Exit codes: 0 every repository succeeded (or, with --status, the status was read), 1 a repository
failed (the summary says why), 2 usage error (also an unknown step, a missing or invalid manifest,
an invalid branch name: refused before any repository is touched), 130 interrupted (Ctrl-C, SIGTERM:
the repositories in flight are rolled back to their last committed step and back on their branch;
run again to go on).`;

/** Runs `work` over the items, at most `limit` at once; the results in the items' order. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const campaign: Command = {
  summary: 'migrate many repositories at once, each on a branch with a pull-request description',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        list: { type: 'string' },
        all: { type: 'boolean' },
        step: { type: 'string' },
        verify: { type: 'string' },
        by: { type: 'string' },
        ...MANIFEST_OPTION,
        branch: { type: 'string' },
        concurrency: { type: 'string' },
        status: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      'campaign',
    );
    const by = String(values.by ?? 'code');
    if (by !== 'code' && by !== 'dir')
      throw new ExitError(EXIT.USAGE, `--by must be code or dir, not "${by}"\n\n${usage}`);
    const concurrency = Number(values.concurrency ?? 2);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new ExitError(
        EXIT.USAGE,
        `--concurrency must be a positive integer, not "${String(values.concurrency)}"`,
      );
    const branch = String(values.branch ?? DEFAULT_CAMPAIGN_BRANCH);
    checkBranch(branch);
    const status = values.status === true;
    if (!status && values.all !== true && values.step === undefined)
      throw new ExitError(EXIT.USAGE, `say which steps: --all or --step ID\n\n${usage}`);
    if (values.all === true && values.step !== undefined)
      throw new ExitError(EXIT.USAGE, `--all and --step are one or the other\n\n${usage}`);
    const manifest = values.manifest === undefined ? undefined : resolve(String(values.manifest));
    const step = values.step === undefined ? undefined : String(values.step);
    // Bad inputs fail here, once, before any repository is touched.
    checkStep(campaignManifest(manifest), step);
    const { roots, duplicates } = distinctRepositories(
      repositories(positionals, values.list === undefined ? undefined : String(values.list)),
    );
    for (const { path, sameAs } of duplicates)
      io.stderr.write(`${path}: same repository as ${sameAs}, run once\n`);
    const run: CampaignRun = {
      branch,
      step,
      by,
      manifest,
      verify: values.verify === undefined ? undefined : String(values.verify),
      interrupted: io.interrupted,
      cli: io.run,
    };
    const json = values.json === true;
    const progress = progressFor(io.stderr);
    progress.start(roots.length, status ? 'status' : 'campaign');
    if (status) {
      const statuses = await pool(roots, concurrency, async (root) => {
        const s = await statusOf(root, run);
        progress.tick();
        return s;
      });
      progress.stop();
      io.stdout.write(
        json
          ? `${JSON.stringify({ repositories: statuses }, null, 2)}\n`
          : `${statusTable(statuses)}\n`,
      );
      return EXIT.OK;
    }
    let stopped = false;
    void io.interrupted.then(() => {
      stopped = true;
    });
    const outcomes = await pool(roots, concurrency, async (root): Promise<RepositoryOutcome> => {
      // Once interrupted, no repository is started: those in flight stop at their step.
      const outcome: RepositoryOutcome = stopped
        ? {
            repository: root,
            outcome: 'interrupted',
            reason: 'not started',
            steps: [],
            files: 0,
            markers: [],
            verify: 'not run',
          }
        : await runRepository(root, run).catch((error: unknown): RepositoryOutcome => ({
            // Something unforeseen in one repository (git gone, a disk full) is its failure
            // alone: the others go on.
            repository: root,
            outcome: 'failed',
            reason: (error as Error).message,
            steps: [],
            files: 0,
            markers: [],
            verify: 'not run',
          }));
      progress.tick();
      return outcome;
    });
    progress.stop();
    if (json) io.stdout.write(`${summaryJson(outcomes)}\n`);
    else {
      for (const outcome of outcomes)
        if (outcome.outcome === 'failed' && outcome.log)
          io.stderr.write(`${outcome.repository}:\n${outcome.log.replace(/^(?=.)/gm, '  ')}`);
      io.stdout.write(`${summaryTable(outcomes)}\n`);
      for (const outcome of outcomes)
        if (outcome.pullRequest) io.stdout.write(`pull request: ${outcome.pullRequest}\n`);
    }
    if (outcomes.some((o) => o.outcome === 'failed')) return EXIT.FAILURE;
    // Stopped by Ctrl-C or SIGTERM: the repositories in flight were rolled back to their last
    // committed step; the next run continues.
    if (stopped || outcomes.some((o) => o.outcome === 'interrupted')) return EXIT.INTERRUPTED;
    return EXIT.OK;
  },
};
