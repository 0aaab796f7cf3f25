import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import semver from 'semver';
import { gitSourceFiles, gitSourceFilesMentioning } from '../migration/codemod/discovery';
import { resolverFor } from '../migration/codemod/load-manifest';
import { sha256, writeAtomically } from '../migration/codemod/process-file';
import {
  commitHooks,
  commitPaths,
  dirtyFilesLater,
  headCommit,
  IDENTITY_HELP,
  isGitRepository,
  missingIdentity,
  STEP_TRAILER,
} from '../migration/git';
import {
  beginStep,
  changedSince,
  clearJournal,
  readJournal,
  rollBack,
  setState,
  stepCommitted,
  verifyLogPath,
  type Journal,
  type RestoreResult,
  type StepFile,
} from '../migration/journal';
import { codesOf, runCodemod, type RunnerReport } from '../migration/runner';
import { legacySpecifier } from '../manifest/render';
import { canonicalTargetOf } from '../manifest/targets';
import { mapSpecifier, readPathMapping } from '../migration/codemod/tsconfig-paths';
import type { Manifest } from '../manifest/types';
import type { Command, CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse } from './parse';
import { progressFor, type Progress } from './progress';

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
  --include-untracked  also rewrite untracked files that are not ignored (restored on rollback,
                       never committed)
  --abort              undo the step a killed run or an incomplete rollback left behind
  --by code|dir        one step per deprecation code (default) or per top-level directory
  --manifest file      a JSON manifest of your own consolidation (default: unified-ws's)
  --allow-dirty        run on a working tree with uncommitted changes
  --json               machine-readable output

Exit codes: 0 done, 1 a verify failed or a commit hook refused (that step was rolled back) or some
files did not parse (they are named, and left untouched), 2 usage or input error (not a directory,
not a git repository, no git identity to commit with, a dirty tree, an unknown step, a corrupt
journal, a malformed manifest, unified-ws too old), 3 rollback incomplete (the files that could
not be restored are named; the journal is kept: clear what is in their way, then run
\`unified-ws migrate --abort\`), 130 interrupted (the step in progress was rolled back).`;

/** Lines of the verify command's output shown when it fails. */
const TAIL_LINES = 40;

interface Step {
  id: string;
  codes: string[];
  files: string[];
  /** Markers the plan expects in the step's files. */
  markers: number;
}

interface StepResult {
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
  /** Files a rollback could not restore, with why. */
  notRestored?: { path: string; reason: string }[];
}

interface Plan {
  steps: Step[];
  unparsable: { file: string; line: number; message: string }[];
  report: RunnerReport;
}

/** What a step run ended with: its result, and the exit code when it ends the run. */
interface StepOutcome {
  result: StepResult;
  exit?: number;
}

/** Turns the runner's progress callbacks into a progress bar (which shows only on a terminal). */
function progressOf(
  progress: Progress,
  label: string,
): { onProgress: (done: number, total: number) => void; stop: () => void } {
  let started = false;
  let ticked = 0;
  return {
    onProgress: (done, total) => {
      if (!started) {
        progress.start(total, label);
        started = true;
      }
      for (; ticked < done; ticked++) progress.tick();
    },
    stop: () => {
      if (started) progress.stop();
    },
  };
}

/**
 * The steps, from one dry run of the codemod over the candidates (a text prefilter, then one
 * parse per candidate in worker processes): each result says which codes the file uses and how
 * it would be rewritten, so the steps reuse it instead of parsing again.
 */
async function planSteps(
  root: string,
  manifest: Manifest,
  by: 'code' | 'dir',
  options: { manifest?: string },
  files: readonly string[],
  io: CommandIO,
  signal: AbortSignal,
): Promise<Plan> {
  const bar = progressOf(progressFor(io.stderr), 'planning');
  let report: RunnerReport;
  try {
    report = await runCodemod({
      root,
      ...options,
      files,
      dryRun: true,
      signal,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.stop();
  }
  const unparsable = report.files
    .filter((file) => file.status === 'parse-error')
    .map((file) => ({
      file: file.path,
      line: file.error?.line ?? 0,
      message: file.error?.message ?? 'unknown error',
    }));
  for (const file of unparsable)
    io.stderr.write(`${file.file}:${file.line}: not parsed, left untouched: ${file.message}\n`);
  const steps = new Map<string, Step>();
  const stepFor = (id: string) => {
    const step = steps.get(id) ?? { id, codes: [], files: [], markers: 0 };
    steps.set(id, step);
    return step;
  };
  for (const file of report.files) {
    if (file.status === 'parse-error') continue;
    const codes = codesOf(file);
    if (codes.length === 0) continue;
    if (by === 'code') {
      for (const code of codes) {
        const step = stepFor(code);
        step.codes = [code];
        step.files.push(file.path);
        step.markers += file.markers.filter((m) => m.code === code).length;
      }
    } else {
      const step = stepFor(
        `dir:${file.path.includes(sep) ? (file.path.split(sep)[0] as string) : '.'}`,
      );
      for (const code of codes) if (!step.codes.includes(code)) step.codes.push(code);
      step.files.push(file.path);
      step.markers += file.markers.length;
    }
  }
  const order = manifest.entries.map((e) => e.code);
  const planned = [...steps.values()]
    .map((s) => ({ ...s, codes: s.codes.sort((a, b) => order.indexOf(a) - order.indexOf(b)) }))
    .sort((a, b) =>
      by === 'code' ? order.indexOf(a.id) - order.indexOf(b.id) : a.id.localeCompare(b.id),
    );
  return { steps: planned, unparsable, report };
}

/** Refuses, naming the version to install, when the repository's unified-ws predates the steps. */
/**
 * Refuses, naming the version to install, when a package the steps move to is missing or predates
 * the canonical names. Only package targets are checked: a `node:` builtin, a repository file and
 * a tsconfig alias of one are always there; an entry with a `requires` condition is left to the
 * codemod, which marks each use whose condition is not met instead of rewriting it.
 */
function checkInstalledVersion(root: string, manifest: Manifest, codes: readonly string[]): void {
  const resolver = resolverFor({ root });
  const mapping = existsSync(join(root, 'tsconfig.json'))
    ? readPathMapping(join(root, 'tsconfig.json'))
    : undefined;
  const needed = new Map<string, string>();
  for (const entry of manifest.entries.filter((e) => codes.includes(e.code))) {
    const target = canonicalTargetOf(manifest, entry);
    if (target.kind !== 'package' || target.packageName === undefined) continue;
    if (entry.requires !== undefined || entry.exports.some((e) => e.requires !== undefined))
      continue;
    // A tsconfig alias of a repository file is not a package to install.
    if (mapping && mapSpecifier(mapping, target.specifier).some((path) => existsSync(path)))
      continue;
    const current = needed.get(target.packageName);
    if (current === undefined || semver.gt(entry.since, current))
      needed.set(target.packageName, entry.since);
  }
  for (const [name, since] of needed) {
    const installed = resolver.installedVersion(name);
    if (!installed)
      throw new ExitError(
        EXIT.USAGE,
        `${name} is not installed in ${root}: run \`npm install ${name}@^${since}\` first (the canonical names exist since ${since})`,
      );
    if (semver.valid(installed) && semver.lt(installed, since))
      throw new ExitError(
        EXIT.USAGE,
        `${name}@${installed} does not yet provide the canonical names: install ${name}@^${since} or later`,
      );
  }
}

type VerifyOutcome =
  | { ok: true }
  | { ok: false; interrupted: true }
  | { ok: false; interrupted: false; how: string; lines: string[] };

/** Sends a signal to the verify command's whole process group (or to it alone on Windows). */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs the verify command in a process group of its own, its stdout and stderr interleaved into
 * one file as it writes them. An interrupt stops the whole group (SIGTERM, then SIGKILL after two
 * seconds). On failure, the last lines of the output are returned, not all of it.
 */
async function runVerify(
  root: string,
  command: string,
  interrupted: Promise<void>,
): Promise<VerifyOutcome> {
  const log = verifyLogPath(root);
  let fd: number | undefined = openSync(log, 'w');
  try {
    const child = spawn(command, {
      cwd: root,
      shell: true,
      detached: process.platform !== 'win32',
      stdio: ['ignore', fd, fd],
      windowsHide: true,
    });
    closeSync(fd);
    fd = undefined;
    const exited = new Promise<{ code: number | null; signal: string | null; error?: Error }>(
      (resolve) => {
        child.once('error', (error) => resolve({ code: null, signal: null, error }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      },
    );
    const first = await Promise.race([exited, interrupted.then(() => 'interrupted' as const)]);
    if (first === 'interrupted') {
      killGroup(child.pid, 'SIGTERM');
      const force = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000);
      await exited;
      clearTimeout(force);
      killGroup(child.pid, 'SIGKILL'); // whatever of the group outlived its leader
      return { ok: false, interrupted: true };
    }
    if (first.code === 0) return { ok: true };
    const text = readFileSync(log, 'utf8');
    const lines = text.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    return {
      ok: false,
      interrupted: false,
      how: first.error
        ? `could not start: ${first.error.message}`
        : first.signal
          ? `killed by ${first.signal}`
          : `exit code ${first.code}`,
      lines,
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(log, { force: true });
  }
}

/** The last lines of a command's output, introduced by a line that says how many of how many. */
function tail(lines: readonly string[]): string {
  const shown = lines.slice(-TAIL_LINES);
  const header =
    lines.length > shown.length
      ? `the last ${shown.length} of ${lines.length} lines of its output:`
      : lines.length === 0
        ? 'no output'
        : 'its output:';
  return `${header}\n${shown.map((line) => `  ${line}`).join('\n')}${shown.length ? '\n' : ''}`;
}

/** One line per file a rollback could not restore, and what to do about it. */
function incompleteMessage(stepId: string, failed: RestoreResult['failed']): string {
  return `rollback incomplete: ${count(failed.length, 'file')} of step ${stepId} could not be restored (the journal and backups are kept in .unified-ws/):\n${failed
    .map((f) => `  ${f.path}: ${f.reason}`)
    .join(
      '\n',
    )}\nclear what is in their way, then run \`unified-ws migrate --abort\` to finish the rollback`;
}

/**
 * Undoes the step in progress from the journal. Says "rolled back" (and how) or, when a file
 * could not be restored, names it; the outcome carries the exit code that ends the run.
 */
function undoStep(
  root: string,
  journal: Journal,
  result: StepResult,
  io: CommandIO,
  reason: 'interrupted' | 'failed',
): StepOutcome {
  const restored = rollBack(root, journal);
  if (restored.failed.length > 0) {
    io.stderr.write(`${incompleteMessage(journal.step.id, restored.failed)}\n`);
    return {
      result: { ...result, status: 'rollback-incomplete', notRestored: restored.failed },
      exit: EXIT.ROLLBACK_INCOMPLETE,
    };
  }
  const files = count(restored.restored.length + restored.unchanged.length, 'file');
  if (reason === 'interrupted') {
    io.stderr.write(`interrupted: step ${journal.step.id} rolled back (${files} restored)\n`);
    return { result: { ...result, status: 'interrupted' }, exit: EXIT.INTERRUPTED };
  }
  io.stderr.write(`step ${journal.step.id} rolled back: ${files} restored\n`);
  return { result: { ...result, status: 'rolled-back' }, exit: EXIT.FAILURE };
}

interface RunContext {
  root: string;
  manifest: Manifest;
  manifestFile: { manifest?: string };
  plan: Plan;
  tracked: ReadonlySet<string>;
  verify: string | undefined;
  commit: boolean;
  /** HEAD before the next step (kept up to date after each commit; only when committing). */
  head: string | undefined;
  noVerify: boolean;
  io: CommandIO;
  signal: AbortSignal;
  interrupted: () => boolean;
}

/** The new text of each file of a step, from the plan where it still holds, else parsed again. */
async function computeStep(context: RunContext, step: Step, dryRun: boolean) {
  const { root, manifestFile, plan, signal } = context;
  const report = await runCodemod({
    root,
    ...manifestFile,
    files: step.files,
    codes: step.codes,
    dryRun: true,
    reuse: plan.report,
    signal,
  });
  for (const file of report.files)
    if (file.status === 'parse-error')
      throw new ExitError(
        EXIT.USAGE,
        `${file.path}:${file.error?.line}: does not parse; nothing of step ${step.id} was written: ${file.error?.message}`,
      );
  const marked = report.files.reduce((sum, file) => sum + file.markers.length, 0);
  const changed = report.files.filter((file) => file.output !== undefined);
  return {
    marked,
    changed,
    diff: dryRun
      ? changed.map((file) => unifiedDiff(root, file.path, file.output as string)).join('')
      : '',
  };
}

/**
 * One step: the new texts; the journal with every original byte; the writes (each atomic); the
 * verify; the commit. Anything that stops it after the journal is written — a failed verify, a
 * refused commit, an interrupt, a write that fails — restores every file from the journal.
 */
async function runStep(context: RunContext, step: Step): Promise<StepOutcome> {
  const { root, io, tracked } = context;
  const { marked, changed } = await computeStep(context, step, false);
  const files: StepFile[] = changed.map((file) => {
    const path = join(root, file.path);
    const original = readFileSync(path);
    if (sha256(original) !== file.sourceHash)
      throw new ExitError(
        EXIT.FAILURE,
        `${file.path} changed while step ${step.id} was being prepared: nothing of the step was written; run migrate again`,
      );
    return {
      path: file.path,
      original,
      output: file.output as string,
      mode: statSync(path).mode,
      tracked: tracked.has(file.path),
    };
  });
  const result: StepResult = { id: step.id, status: 'unchanged', changed: files.length, marked };
  const untracked = files.filter((file) => !file.tracked).map((file) => file.path);
  if (untracked.length > 0) result.untracked = untracked;
  if (files.length === 0) return { result };
  if (context.interrupted()) {
    io.stderr.write(`interrupted: step ${step.id} rolled back (nothing was written)\n`);
    return { result: { ...result, status: 'interrupted' }, exit: EXIT.INTERRUPTED };
  }

  let journal = beginStep(
    root,
    { id: step.id, codes: step.codes, ...optional('head', context.head) },
    files,
  );
  try {
    for (const file of files) {
      try {
        writeAtomically(join(root, file.path), file.output, file.mode);
      } catch (error) {
        io.stderr.write(`could not write ${file.path}: ${(error as Error).message}\n`);
        return undoStep(root, journal, result, io, 'failed');
      }
    }
    if (context.interrupted()) return undoStep(root, journal, result, io, 'interrupted');

    if (context.verify !== undefined) {
      journal = setState(root, journal, 'verifying');
      io.stderr.write(`verifying ${step.id}: ${context.verify}…\n`);
      const verified = await runVerify(root, context.verify, io.interrupted);
      if (!verified.ok && verified.interrupted)
        return undoStep(root, journal, result, io, 'interrupted');
      if (!verified.ok) {
        io.stderr.write(
          `verify failed for ${step.id} (${context.verify}: ${verified.how}); ${tail(verified.lines)}`,
        );
        return undoStep(root, journal, result, io, 'failed');
      }
    }
    if (context.interrupted()) return undoStep(root, journal, result, io, 'interrupted');

    const commitPathsOf = files.filter((file) => file.tracked).map((file) => file.path);
    if (!context.commit || commitPathsOf.length === 0) {
      clearJournal(root);
      if (context.commit)
        io.stderr.write(`${step.id}: only untracked files changed: nothing to commit\n`);
      return { result: { ...result, status: 'applied' } };
    }
    journal = setState(root, journal, 'committing');
    const committed = await commitPaths(
      root,
      commitMessage(context.manifest, step, commitPathsOf.length, marked),
      commitPathsOf,
      {
        noVerify: context.noVerify,
      },
    );
    if (!committed.ok) {
      // A commit that landed although git was stopped afterwards is kept, never rolled back.
      const landed = stepCommitted(root, journal.step);
      if (!landed) {
        const hooks = context.noVerify ? [] : commitHooks(root);
        const output = committed.output.trim().split(/\r?\n/).filter(Boolean);
        io.stderr.write(
          `${
            hooks.length > 0
              ? `the ${hooks.join(' or ')} hook refused the commit of step ${step.id}`
              : `git could not commit step ${step.id} (${committed.signal ? `killed by ${committed.signal}` : `exit code ${committed.status}`})`
          }; ${tail(output)}`,
        );
        return undoStep(root, journal, result, io, 'failed');
      }
      clearJournal(root);
      return { result: { ...result, status: 'committed', commit: landed } };
    }
    clearJournal(root);
    context.head = committed.commit;
    if (untracked.length > 0)
      io.stderr.write(
        `${step.id}: ${count(untracked.length, 'untracked file')} rewritten, not committed: ${untracked.join(', ')}\n`,
      );
    return { result: { ...result, status: 'committed', commit: committed.commit } };
  } catch (error) {
    // Something unforeseen (a journal that cannot be written, git gone): undo, then report it.
    const restored = rollBack(root, journal);
    if (restored.failed.length > 0)
      io.stderr.write(`${incompleteMessage(step.id, restored.failed)}\n`);
    throw error;
  }
}

function commitMessage(manifest: Manifest, step: Step, changed: number, marked: number): string {
  const entries = manifest.entries.filter((e) => step.codes.includes(e.code));
  return [
    `unified-ws: migrate ${step.codes.join(', ')} (${changed} file${changed === 1 ? '' : 's'}${marked ? `, ${marked} marker${marked === 1 ? '' : 's'}` : ''})`,
    '',
    ...entries.map((e) => `- ${e.code}: ${legacySpecifier(manifest, e)} → ${manifest.canonical}`),
    '',
    `${STEP_TRAILER}: ${step.id}`,
  ].join('\n');
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * A journal left by a run that stopped: the step's commit landed (forget the journal), or the step
 * is undone from it so that this run can do it again. Refuses when a file of the step holds
 * neither its old nor its new bytes (someone changed it since), or a rollback was left incomplete.
 */
function resumeFrom(root: string, journal: Journal, io: CommandIO): void {
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
function abort(root: string, io: CommandIO, json: boolean): number {
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

/** `git diff --no-index` between the file and its rewrite: a standard unified diff. */
function unifiedDiff(root: string, file: string, output: string): string {
  const result = spawnSync('git', ['diff', '--no-index', '--no-color', '--', file, '-'], {
    cwd: root,
    input: output,
    encoding: 'utf8',
  });
  return result.stdout.replace(/^\+\+\+ b\/-$/m, `+++ b/${file}`);
}

function printPlan(io: CommandIO, plan: Plan, steps: Step[], json: boolean): void {
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ steps: steps.map(({ id, codes, files, markers }) => ({ id, codes, files, markers })), unparsable: plan.unparsable }, null, 2)}\n`,
    );
    return;
  }
  const markersOf = new Map(plan.report.files.map((file) => [file.path, file]));
  for (const step of steps) {
    io.stdout.write(
      `${step.id}: ${count(step.files.length, 'file')}, ${count(step.markers, 'marker')}${step.codes.length > 1 || step.codes[0] !== step.id ? ` (${step.codes.join(', ')})` : ''}\n`,
    );
    for (const file of step.files) {
      const markers = (markersOf.get(file)?.markers ?? []).filter((m) =>
        step.codes.includes(m.code),
      ).length;
      io.stdout.write(`  ${file}${markers ? ` (${count(markers, 'marker')})` : ''}\n`);
    }
  }
  const files = new Set(steps.flatMap((step) => step.files)).size;
  io.stdout.write(
    steps.length === 0
      ? 'nothing to migrate\n'
      : `${count(steps.length, 'step')}, ${count(files, 'file')}, ${count(
          steps.reduce((sum, step) => sum + step.markers, 0),
          'marker',
        )}\n`,
  );
}

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
    // Untracked files count as changes, unless this run is to rewrite them too. `git status` runs
    // while the plan is made (which writes nothing); its answer is awaited before any step.
    const dirty =
      writes && !values['allow-dirty']
        ? dirtyFilesLater(root, { untracked: !includeUntracked })
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
      // the plan reads only those, or every listed file when git grep cannot run.
      const listing = gitSourceFilesMentioning(
        root,
        resolverFor({ root, ...manifestFile }).needles,
        {
          untracked: includeUntracked,
        },
      ) ??
        gitSourceFiles(root, { untracked: includeUntracked }) ?? { tracked: [], untracked: [] };
      const candidates = [...listing.tracked, ...listing.untracked];
      let plan: Plan;
      try {
        plan = await planSteps(root, manifest, by, manifestFile, candidates, io, controller.signal);
      } catch (error) {
        if (!controller.signal.aborted || error !== controller.signal.reason) throw error;
        io.stderr.write('interrupted: nothing was changed\n');
        return EXIT.INTERRUPTED;
      }
      let steps = plan.steps;
      if (values.step) {
        const wanted = String(values.step);
        const step = steps.find((s) => s.id === wanted);
        if (!step) {
          const known =
            manifest.entries.some((e) => e.code === wanted) || wanted.startsWith('dir:');
          throw new ExitError(
            EXIT.USAGE,
            known
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
          report(io, results, values.json === true);
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
          report(io, results, values.json === true);
          return EXIT.INTERRUPTED;
        }
        results.push(outcome.result);
        if (outcome.exit !== undefined) {
          report(io, results, values.json === true);
          return outcome.exit;
        }
      }
      report(io, results, values.json === true);
      // Files that do not parse were left as they were; the run says so in its exit code too.
      return plan.unparsable.length > 0 ? EXIT.FAILURE : EXIT.OK;
    } finally {
      // Whatever ended the run, git status has finished before the command returns.
      await dirty.catch(() => undefined);
    }
  },
};

function report(io: CommandIO, results: StepResult[], json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ steps: results }, null, 2)}\n`);
    return;
  }
  for (const result of results) {
    if (result.diff) io.stdout.write(result.diff);
    io.stdout.write(
      `${result.id}: ${result.status}, ${count(result.changed, 'file')} changed${result.marked ? `, ${count(result.marked, 'marker')}` : ''}${result.commit ? ` (${result.commit.slice(0, 10)})` : ''}\n`,
    );
  }
  if (results.length === 0) io.stdout.write('nothing to migrate\n');
}
