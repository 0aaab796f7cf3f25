import { resolverFor } from '../migration/codemod/load-manifest';
import {
  dirtyFiles,
  headCommit,
  IDENTITY_HELP,
  isGitRepository,
  missingIdentity,
  STEP_TRAILER,
} from '../migration/git';
import type { ExtensionStyle } from '../migration/import-extension';
import { readJournal } from '../migration/journal';
import { RUNTIME_PACKAGE } from '../migration/shim-module';
import { loadManifest } from '../manifest/load';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { checkInstalledVersion } from './migrate-plan';
import { resumeFrom } from './migrate-recover';
import {
  runJournaledStep,
  stepFiles,
  unifiedDiff,
  type StepResult,
  type StepRunner,
} from './migrate-step';
import { directoryArgument, MANIFEST_OPTION, parse } from './parse';
import { commitMessage, notesOf, report, undoNote } from './shim-report';
import { prepare, selectEntries, stepId, trackedFiles } from './shim-steps';

const usage = `Usage: unified-ws shim [path] --manifest file (--step CODE | --all) [options]

Rewrites each legacy file of a manifest entry (its "files") into a thin module: the exports that
move (same-object, rename, or under a same-object "*") are re-exported from the entry's canonical
target, so they are the canonical objects themselves; manual and call-rewrite exports keep their
implementation; imports and declarations nothing kept uses go. Every deprecated export gets
@deprecated with its code, and one call of unified-ws's deprecatedModule() registers the entry
(generated from the manifest) and reports each import of the module: it warns once and is counted
in telemetry like unified-ws's own shims. Importers keep working unchanged; \`migrate\` moves them
later, and then the shim can go. A file that already is its entry's shim is left alone.

Each entry is one step, run as a migrate step is: the bytes of its files recorded in .unified-ws/
first, then --verify, then one git commit made as you, with a trailer "${STEP_TRAILER}:
shim:<CODE>"; a failed verify, a refused commit or an interrupt (Ctrl-C, SIGTERM) puts every file
back byte for byte. \`unified-ws revert shim:<CODE>\` (or \`revert --last\`) undoes a step.

  --manifest file   the JSON manifest of your consolidation (required); entries with "files"
  --step CODE       shim one entry
  --all             shim every entry with "files", in manifest order
  --dry-run         print the unified diff of what would change; write nothing
  --verify "cmd"    a command that must pass after each step (your type-check and tests)
  --no-commit       apply (and verify) without committing (revert cannot undo that: shim
                    prints the git restore command that does)
  --no-verify       commit without git's commit hooks (as git commit --no-verify); --verify
                    still runs
  --allow-dirty     run on a working tree with uncommitted changes
  --json            machine-readable output: each step with its files, what moved and what stayed

Exit codes: 0 done, 1 a verify failed or a commit hook refused (that step was rolled back), 2 usage
or input error (no --manifest, an entry without "files", a listed file that is missing, does not
parse or cannot be shimmed safely, a canonical target file that imports a legacy file of its entry
— then nothing was written —, not a git repository, no git
identity to commit with, a dirty tree, a corrupt journal, a malformed manifest, unified-ws not
installed), 3 rollback incomplete (the files are named; the journal is kept: clear what is in
their way, then run \`unified-ws migrate --abort\`), 130 interrupted (the step in progress was
rolled back).`;

export const shim: Command = {
  summary: "rewrite a team's own legacy files into shims of the canonical objects",
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        ...MANIFEST_OPTION,
        step: { type: 'string' },
        all: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        verify: { type: 'string' },
        'no-commit': { type: 'boolean' },
        'no-verify': { type: 'boolean' },
        'allow-dirty': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      'shim',
    );
    if (values.manifest === undefined)
      throw new ExitError(
        EXIT.USAGE,
        `name the manifest of your consolidation: --manifest file\n\n${usage}`,
      );
    const dryRun = values['dry-run'] === true;
    if (!values.step && !values.all)
      throw new ExitError(EXIT.USAGE, `say which entries: --step CODE or --all\n\n${usage}`);
    if (values.step && values.all)
      throw new ExitError(EXIT.USAGE, `--step and --all exclude each other\n\n${usage}`);
    const root = directoryArgument(positionals[0]);
    if (!isGitRepository(root))
      throw new ExitError(EXIT.USAGE, `${root} is not a git repository: shim commits each step`);
    const manifestFile = String(values.manifest);
    const manifest = loadManifest(manifestFile);
    const entries = selectEntries(manifest, manifestFile, values.step as string | undefined);
    const json = values.json === true;
    const commit = !dryRun && values['no-commit'] !== true;
    if (commit) {
      const missing = missingIdentity(root);
      if (missing)
        throw new ExitError(
          EXIT.USAGE,
          `git does not know who you are (${missing}), and shim commits each step as you: ${IDENTITY_HELP}; or pass --no-commit`,
        );
    }
    const journal = readJournal(root);
    if (journal && !dryRun) resumeFrom(root, journal, io);
    else if (journal)
      io.stderr.write(
        `note: step ${journal.step.id} was interrupted; shim restores it first (or run migrate --abort)\n`,
      );
    if (!dryRun && !values['allow-dirty']) {
      // Changes to tracked files block a step, and so does an untracked legacy file the step would
      // write; other untracked files are never touched (as with migrate).
      const changes = dirtyFiles(root, {
        untrackedAmong: new Set(entries.flatMap((e) => e.files ?? [])),
      });
      if (changes.length > 0)
        throw new ExitError(
          EXIT.USAGE,
          `the working tree has uncommitted changes (${changes.slice(0, 5).join(', ')}${changes.length > 5 ? ', …' : ''}): commit or stash them, or pass --allow-dirty`,
        );
    }
    const resolver = resolverFor({ root });
    try {
      if (resolver.installedVersion(RUNTIME_PACKAGE) === undefined)
        throw new ExitError(
          EXIT.USAGE,
          `${RUNTIME_PACKAGE} is not installed in ${root}: the shims call its deprecation runtime; run \`npm install ${RUNTIME_PACKAGE}\` first`,
        );
      checkInstalledVersion(
        root,
        manifest,
        entries.map((e) => e.code),
      );
    } catch (error) {
      // A preview says what the real run would do, so it names the refusal instead of hiding it.
      if (!dryRun || !(error instanceof ExitError)) throw error;
      io.stderr.write(`note: shim without --dry-run would stop here: ${error.message}\n`);
    }

    // Every step is computed before any is written: a file that cannot be shimmed stops the run
    // with nothing written.
    const styles = new Map<string, ExtensionStyle>();
    const steps = entries.map((entry) =>
      prepare(root, manifest, entry, (name) => resolver.installedVersion(name), styles),
    );
    if (!json)
      for (const step of steps)
        for (const result of step.results)
          for (const note of notesOf(result)) io.stderr.write(`note: ${note}\n`);

    let stopped = false;
    void io.interrupted.then(() => {
      stopped = true;
    });
    const runner: StepRunner = {
      root,
      verify: values.verify === undefined ? undefined : String(values.verify),
      commit,
      head: commit ? headCommit(root) : undefined,
      noVerify: values['no-verify'] === true,
      io,
      interrupted: () => stopped,
    };
    const tracked = trackedFiles(
      root,
      steps.flatMap((s) => s.changes.map((c) => c.path)),
    );
    const results: StepResult[] = [];
    const finish = (exit: number) => {
      report(io, results, steps, json);
      if (!dryRun && !commit) undoNote(io, results, steps, tracked);
      return exit;
    };
    for (const step of steps) {
      const id = stepId(step.entry.code);
      if (dryRun) {
        results.push({
          id,
          status: 'dry-run',
          changed: step.changes.length,
          marked: 0,
          diff: step.changes.map((c) => unifiedDiff(root, c.path, c.output)).join(''),
        });
        continue;
      }
      if (stopped) {
        io.stderr.write(
          `interrupted: stopped before step ${id}${results.length ? `, after ${results.at(-1)?.id}` : ''}\n`,
        );
        return finish(EXIT.INTERRUPTED);
      }
      const outcome = await runJournaledStep(runner, {
        id,
        codes: [step.entry.code],
        files: stepFiles(root, id, step.changes, tracked, 'run shim again'),
        marked: 0,
        message: (committed) => commitMessage(manifest, step, committed),
      });
      results.push(outcome.result);
      if (outcome.exit !== undefined) return finish(outcome.exit);
    }
    return finish(EXIT.OK);
  },
};
