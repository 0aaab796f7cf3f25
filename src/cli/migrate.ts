import { relative } from 'node:path';
import { gitSourceFiles, gitSourceFilesMentioning } from '../migration/codemod/discovery';
import { resolverFor } from '../migration/codemod/load-manifest';
import {
  dirtyFilesLater,
  headCommit,
  IDENTITY_HELP,
  isGitRepository,
  missingIdentity,
  STEP_TRAILER,
} from '../migration/git';
import { readJournal } from '../migration/journal';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import {
  checkInstalledVersion,
  isKnownStep,
  planSteps,
  printPlan,
  type Plan,
} from './migrate-plan';
import { abort, resumeFrom } from './migrate-recover';
import {
  computeStep,
  printResults,
  runStep,
  type RunContext,
  type StepOutcome,
  type StepResult,
} from './migrate-step';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse } from './parse';

const usage = `Usage: unified-ws migrate [path] (--step ID | --all | --plan | --abort) [options]

Applies the consolidation in steps, one git commit each, made as you and through your commit
hooks: plans the steps from the legacy uses in the files git tracks, rewrites each step's files
with the codemod, runs --verify, then commits the step (the message names the codes and counts; a
trailer "${STEP_TRAILER}: <id>" lets \`unified-ws revert <id>\` undo exactly that step). Before a
step writes anything, .unified-ws/ records the bytes of every file it will write: a failed
verify, a refused commit or an interrupt (Ctrl-C, SIGTERM) puts each file back byte for byte.
Files .gitignore ignores are never touched. A killed run resumes where it stopped (run it again),
or is undone with --abort.

  --step ID            apply one step (a code such as UWS004, or dir:<directory> with --by dir)
  --all                apply every step, in order
  --plan               list the steps with their files and marker counts; write nothing
  --dry-run            print the unified diff of what would change; write nothing
  --verify "cmd"       a command that must pass after each step (your type-check and tests)
  --no-commit          apply (and verify) without committing
  --no-verify          commit without git's commit hooks (as git commit --no-verify); --verify
                       still runs
  --include-untracked  also rewrite untracked files that are not ignored: restored on rollback,
                       never committed, their bytes from before kept in
                       .unified-ws/untracked/ and named by the step's commit (trailer
                       Unified-Ws-Untracked), so that revert restores them too. Without it
                       they are never touched and never stop a run; those that use legacy
                       modules are named
  --abort              undo the step a killed run or an incomplete rollback left behind
  --by code|dir        one step per deprecation code (default) or per top-level directory
  --manifest file      a JSON manifest of your own consolidation (default: unified-ws's)
  --allow-dirty        run although tracked files have uncommitted changes
  --json               machine-readable output

Exit codes: 0 done, 1 a verify failed or a commit hook refused (that step was rolled back) or some
files did not parse (they are named, and left untouched), 2 usage or input error (not a directory,
not a git repository, no git identity to commit with, uncommitted changes to tracked files, an
unknown step, a corrupt journal, a malformed manifest, unified-ws too old), 3 rollback incomplete
(the files that could not be restored are named; the journal is kept: clear what is in their way,
then run \`unified-ws migrate --abort\`), 130 interrupted (the step in progress was rolled back).`;

export const migrate: Command = {
  summary: 'apply the consolidation in verified steps, one git commit each',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        step: { type: 'string' },
        all: { type: 'boolean' },
        plan: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        verify: { type: 'string' },
        'no-commit': { type: 'boolean' },
        'no-verify': { type: 'boolean' },
        'include-untracked': { type: 'boolean' },
        abort: { type: 'boolean' },
        by: { type: 'string' },
        ...MANIFEST_OPTION,
        'allow-dirty': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      'migrate',
    );
    const by = (values.by ?? 'code') as string;
    if (by !== 'code' && by !== 'dir')
      throw new ExitError(EXIT.USAGE, `--by must be code or dir, not "${by}"\n\n${usage}`);
    const dryRun = values['dry-run'] === true;
    const planOnly = values.plan === true;
    if (values.abort && (values.step || values.all || dryRun || planOnly))
      throw new ExitError(EXIT.USAGE, `--abort takes no other step option\n\n${usage}`);
    if (!values.step && !values.all && !dryRun && !planOnly && !values.abort)
      throw new ExitError(EXIT.USAGE, `say which steps: --step ID or --all\n\n${usage}`);
    const root = directoryArgument(positionals[0]);
    if (!isGitRepository(root))
      throw new ExitError(EXIT.USAGE, `${root} is not a git repository: migrate commits each step`);
    if (values.abort) return abort(root, io, values.json === true);

    const manifestFile = manifestOption(values);
    const manifest = resolverFor({ root, ...manifestFile }).manifest;
    const writes = !dryRun && !planOnly;
    const commit = writes && values['no-commit'] !== true;
    const includeUntracked = values['include-untracked'] === true;
    if (commit) {
      const missing = missingIdentity(root);
      if (missing)
        throw new ExitError(
          EXIT.USAGE,
          `git does not know who you are (${missing}), and migrate commits each step as you: ${IDENTITY_HELP}; or pass --no-commit`,
        );
    }
    const journal = readJournal(root);
    if (journal && writes) resumeFrom(root, journal, io);
    else if (journal)
      io.stderr.write(
        `note: step ${journal.step.id} was interrupted; migrate restores it first (or run migrate --abort)\n`,
      );
    // Changes to tracked files stop the run. Untracked files do not: without --include-untracked
    // migrate never touches one, and with it, rewriting them is what was asked. `git status` runs
    // while the plan is made (which writes nothing); its answer is awaited before any step.
    const dirty =
      writes && !values['allow-dirty']
        ? dirtyFilesLater(root, { untracked: false })
        : Promise.resolve([]);
    dirty.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    try {
      let stopped = false;
      const controller = new AbortController();
      void io.interrupted.then(() => {
        stopped = true;
        controller.abort(new Error('interrupted'));
      });
      const interrupted = () => stopped;
      // git grep finds the files that may mention a legacy module (reading the tree in parallel):
      // the plan reads only those, or every listed file when git grep cannot run. Untracked ones
      // are read either way; without --include-untracked they are in no step, and the run only
      // names those that use a legacy module.
      const listing = gitSourceFilesMentioning(
        root,
        resolverFor({ root, ...manifestFile }).needles,
        { untracked: true },
      ) ??
        gitSourceFiles(root, { untracked: true }) ?? { tracked: [], untracked: [] };
      const candidates = [...listing.tracked, ...listing.untracked];
      const leaveAlone = new Set(
        includeUntracked ? [] : listing.untracked.map((file) => relative(root, file)),
      );
      let plan: Plan;
      try {
        plan = await planSteps(
          root,
          manifest,
          by,
          manifestFile,
          candidates,
          io,
          controller.signal,
          leaveAlone,
        );
      } catch (error) {
        if (!controller.signal.aborted || error !== controller.signal.reason) throw error;
        io.stderr.write('interrupted: nothing was changed\n');
        return EXIT.INTERRUPTED;
      }
      if (plan.leftAlone.length > 0)
        io.stderr.write(
          `note: ${count(plan.leftAlone.length, 'untracked file uses', 'untracked files use')} legacy modules and ${plan.leftAlone.length === 1 ? 'is' : 'are'} left as ${plan.leftAlone.length === 1 ? 'it is' : 'they are'} (--include-untracked rewrites ${plan.leftAlone.length === 1 ? 'it' : 'them'} too): ${plan.leftAlone.join(', ')}\n`,
        );
      let steps = plan.steps;
      if (values.step) {
        const wanted = String(values.step);
        const step = steps.find((s) => s.id === wanted);
        if (!step) {
          throw new ExitError(
            EXIT.USAGE,
            isKnownStep(manifest, wanted)
              ? `step ${wanted} has nothing to migrate in ${root}`
              : `unknown step "${wanted}": steps here are ${steps.map((s) => s.id).join(', ') || 'none'}`,
          );
        }
        steps = [step];
      }
      if (planOnly) {
        printPlan(io, plan, steps, values.json === true);
        return plan.unparsable.length > 0 ? EXIT.FAILURE : EXIT.OK;
      }
      const changes = await dirty;
      if (changes.length > 0)
        throw new ExitError(
          EXIT.USAGE,
          `the working tree has uncommitted changes (${changes.slice(0, 5).join(', ')}${changes.length > 5 ? ', …' : ''}): commit or stash them, or pass --allow-dirty`,
        );
      try {
        checkInstalledVersion(
          root,
          manifest,
          steps.flatMap((s) => s.codes),
        );
      } catch (error) {
        // A preview says what the real run would do, so it names the refusal instead of hiding it.
        if (writes || !(error instanceof ExitError)) throw error;
        io.stderr.write(`note: migrate without --dry-run would stop here: ${error.message}\n`);
      }

      const context: RunContext = {
        root,
        manifest,
        manifestFile,
        plan,
        tracked: new Set(listing.tracked.map((file) => relative(root, file))),
        verify: values.verify === undefined ? undefined : String(values.verify),
        commit,
        head: commit ? headCommit(root) : undefined,
        noVerify: values['no-verify'] === true,
        io,
        signal: controller.signal,
        interrupted,
      };
      const results: StepResult[] = [];
      for (const step of steps) {
        if (stopped) {
          io.stderr.write(
            `interrupted: stopped before step ${step.id}${results.length ? `, after ${results.at(-1)?.id}` : ''}\n`,
          );
          printResults(io, results, values.json === true);
          return EXIT.INTERRUPTED;
        }
        let outcome: StepOutcome;
        try {
          if (dryRun) {
            const { changed, marked, diff } = await computeStep(context, step, true);
            results.push({ id: step.id, status: 'dry-run', changed: changed.length, marked, diff });
            continue;
          }
          outcome = await runStep(context, step);
        } catch (error) {
          // The runner was stopped (by the interrupt) before the step wrote anything.
          if (!controller.signal.aborted || error !== controller.signal.reason) throw error;
          io.stderr.write(`interrupted: step ${step.id} rolled back (nothing was written)\n`);
          results.push({ id: step.id, status: 'interrupted', changed: 0, marked: 0 });
          printResults(io, results, values.json === true);
          return EXIT.INTERRUPTED;
        }
        results.push(outcome.result);
        if (outcome.exit !== undefined) {
          printResults(io, results, values.json === true);
          return outcome.exit;
        }
      }
      printResults(io, results, values.json === true);
      // Files that do not parse were left as they were; the run says so in its exit code too.
      return plan.unparsable.length > 0 ? EXIT.FAILURE : EXIT.OK;
    } finally {
      // Whatever ended the run, git status has finished before the command returns.
      await dirty.catch(() => undefined);
    }
  },
};
