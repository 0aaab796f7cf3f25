import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { resolverFor } from '../migration/codemod/load-manifest';
import { ParseFailure } from '../migration/codemod/parse';
import { sha256 } from '../migration/codemod/process-file';
import {
  dirtyFiles,
  git,
  headCommit,
  IDENTITY_HELP,
  isGitRepository,
  missingIdentity,
  STEP_TRAILER,
} from '../migration/git';
import type { ExtensionStyle } from '../migration/import-extension';
import { canonicalCycle } from '../migration/shim-cycle';
import { readJournal } from '../migration/journal';
import {
  RUNTIME_PACKAGE,
  ShimRefusal,
  shimModule,
  type ShimFileResult,
} from '../migration/shim-module';
import { loadManifest } from '../manifest/load';
import { legacySpecifier } from '../manifest/render';
import { canonicalOf, canonicalTargetOf } from '../manifest/targets';
import type { Manifest, ManifestEntry } from '../manifest/types';
import type { Command, CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { checkInstalledVersion } from './migrate-plan';
import { resumeFrom } from './migrate-recover';
import {
  printResults,
  runJournaledStep,
  stepFiles,
  unifiedDiff,
  type StepResult,
  type StepRunner,
} from './migrate-step';
import { directoryArgument, MANIFEST_OPTION, parse } from './parse';

/** The step id of an entry's shim: `revert shim:CODE` undoes it. */
const stepId = (code: string) => `shim:${code}`;

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

/** One entry's step, computed before anything is written. */
interface ShimStep {
  entry: ManifestEntry;
  results: ShimFileResult[];
  /** The files that change, with the hash of the text their new one was computed from. */
  changes: { path: string; output: string; sourceHash: string }[];
}

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
      const legacyFiles = new Set(entries.flatMap((e) => e.files ?? []));
      const changes = [
        ...new Set([
          ...dirtyFiles(root, { untracked: false }),
          ...dirtyFiles(root).filter((file) => legacyFiles.has(file)),
        ]),
      ];
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

/** The entries to shim: the one named by --step (which must have files), or all with files. */
function selectEntries(
  manifest: Manifest,
  manifestFile: string,
  step: string | undefined,
): ManifestEntry[] {
  const withFiles = manifest.entries.filter((e) => e.files !== undefined);
  if (step === undefined) {
    if (withFiles.length === 0)
      throw new ExitError(
        EXIT.USAGE,
        `no entry of ${manifestFile} has "files": shim rewrites the repository files of an entry (for a package's modules, migrate moves their importers)`,
      );
    return withFiles;
  }
  const code = step.startsWith('shim:') ? step.slice('shim:'.length) : step;
  const entry = manifest.entries.find((e) => e.code === code);
  if (!entry)
    throw new ExitError(
      EXIT.USAGE,
      `unknown code "${code}": entries of ${manifestFile} with files are ${withFiles.map((e) => e.code).join(', ') || 'none'}`,
    );
  if (entry.files === undefined)
    throw new ExitError(
      EXIT.USAGE,
      `${code} has no "files" in ${manifestFile}: shim rewrites the repository files of an entry (its legacy module ${legacySpecifier(manifest, entry)} is a package's: migrate moves its importers)`,
    );
  return [entry];
}

/** The new text of every file of an entry, or the reason nothing can be written. */
function prepare(
  root: string,
  manifest: Manifest,
  entry: ManifestEntry,
  installedVersion: (name: string) => string | undefined,
  styles: Map<string, ExtensionStyle>,
): ShimStep {
  const step: ShimStep = { entry, results: [], changes: [] };
  const paths = (entry.files ?? []).map((listed) => posix.normalize(listed.replace(/\\/g, '/')));
  refuseCycle(root, manifest, entry, paths);
  for (const path of paths) {
    const full = join(root, path);
    if (!existsSync(full))
      throw new ExitError(
        EXIT.USAGE,
        `${path} (a file of ${entry.code}) does not exist in ${root}: nothing was written`,
      );
    const bytes = readFileSync(full);
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes))
      throw new ExitError(EXIT.USAGE, `${path}:1: not valid UTF-8: nothing was written`);
    let result: ShimFileResult;
    try {
      result = shimModule(text, path, { manifest, entry, installedVersion, root, styles });
    } catch (error) {
      if (error instanceof ShimRefusal)
        throw new ExitError(EXIT.USAGE, `${error.message}; nothing was written`);
      if (error instanceof ParseFailure)
        throw new ExitError(
          EXIT.USAGE,
          `${path}:${error.line}: does not parse; nothing was written: ${error.message}`,
        );
      throw error;
    }
    step.results.push(result);
    if (result.output !== undefined && result.output !== text)
      step.changes.push({ path, output: result.output, sourceHash: sha256(bytes) });
  }
  return step;
}

/**
 * Refuses an entry whose canonical target is a repository file that uses one of the entry's
 * legacy files (itself or through the repository files it imports): the shim would re-export the
 * canonical object from a module that depends on the shim, and the canonical implementation would
 * then use itself under the legacy name — a cycle tsc does not see and that recurses at run time.
 */
function refuseCycle(
  root: string,
  manifest: Manifest,
  entry: ManifestEntry,
  paths: readonly string[],
): void {
  const target = canonicalTargetOf(manifest, entry);
  if (target.kind !== 'file') return;
  const chain = canonicalCycle(root, target.path, paths);
  if (!chain) return;
  const legacy = chain.at(-1) as string;
  throw new ExitError(
    EXIT.USAGE,
    `${legacy}: ${entry.code} cannot be shimmed: its canonical target ${target.path} imports it${chain.length > 2 ? ` (${chain.join(' → ')})` : ''}, so re-exporting from ${target.path} would make a module cycle in which the canonical implementation uses itself under the legacy name; make ${target.path} stop using ${legacy} first; nothing was written`,
  );
}

/** What a file's shim leaves to people: kept names the manifest does not move, and why. */
function notesOf(result: ShimFileResult): string[] {
  return [
    ...result.kept
      .filter((k) => k.rewrite === 'unlisted' || k.reason !== undefined)
      .map((k) =>
        k.reason === undefined
          ? `${result.path}: ${k.name} is not in the manifest: kept as it is`
          : `${result.path}: ${k.name} kept: ${k.reason}`,
      ),
    ...result.notes,
  ];
}

/** The paths git tracks among these (relative to root). */
function trackedFiles(root: string, paths: readonly string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const out = git(root, ['ls-files', '-z', '--', ...paths.map((p) => `:(literal)${p}`)]).stdout;
  return new Set(out.split('\0').filter(Boolean));
}

function commitMessage(manifest: Manifest, step: ShimStep, committed: number): string {
  const { entry } = step;
  const names = (list: string[]) => list.join(', ') || 'nothing';
  return [
    `unified-ws: shim ${entry.code} (${count(committed, 'file')})`,
    '',
    ...step.results
      .filter((r) => r.status === 'shimmed')
      .map(
        (r) =>
          `- ${r.path}: ${names(r.moved.map((m) => m.name))} from ${canonicalOf(manifest, entry)}; kept: ${names(r.kept.map((k) => k.name))}`,
      ),
    '',
    `${STEP_TRAILER}: ${stepId(entry.code)}`,
  ].join('\n');
}

/**
 * After --no-commit, how to undo what was applied: `revert` undoes commits (and refuses a dirty
 * tree), so the files are restored from git's index.
 */
function undoNote(
  io: CommandIO,
  results: readonly StepResult[],
  steps: readonly ShimStep[],
  tracked: ReadonlySet<string>,
): void {
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.id));
  const paths = steps
    .filter((s) => applied.has(stepId(s.entry.code)))
    .flatMap((s) => s.changes.map((c) => c.path));
  if (paths.length === 0) return;
  const restorable = paths.filter((p) => tracked.has(p)).map(shellWord);
  const untracked = paths.filter((p) => !tracked.has(p));
  const files = restorable.join(' ');
  io.stderr.write(
    `note: --no-commit: the shim is not committed, so revert cannot undo it; to undo: ${
      restorable.length > 0
        ? `git restore -- ${files} (git checkout -- ${files} before git 2.23)`
        : 'nothing in git has the files'
    }${untracked.length > 0 ? `; not tracked by git, so only your own copy restores: ${untracked.join(', ')}` : ''}\n`,
  );
}

/** A path as one word of a shell command. */
function shellWord(path: string): string {
  return /^[\w./@+,:=-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function report(io: CommandIO, results: StepResult[], steps: ShimStep[], json: boolean): void {
  if (!json) {
    printResults(io, results, false, 'nothing to shim');
    return;
  }
  const files = new Map(steps.map((s) => [stepId(s.entry.code), s.results]));
  io.stdout.write(
    `${JSON.stringify(
      {
        steps: results.map((result) => ({
          ...result,
          files: (files.get(result.id) ?? []).map(({ output: _output, ...file }) => ({
            ...file,
            notes: notesOf(file),
          })),
        })),
      },
      null,
      2,
    )}\n`,
  );
}
