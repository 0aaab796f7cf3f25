import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import semver from 'semver';
import { resolverFor } from '../migration/codemod/load-manifest';
import { processFile } from '../migration/codemod/process-file';
import { dirtyFiles, git, isGitRepository, STEP_TRAILER } from '../migration/git';
import {
  clearJournal,
  readJournal,
  removeStrayTemporaries,
  writeJournal,
  type JournalStep,
} from '../migration/journal';
import { findLegacyUses } from '../migration/legacy-uses';
import { legacySpecifier } from '../manifest/render';
import type { Manifest } from '../manifest/types';
import type { Command, CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse } from './parse';
import { progressFor, type Progress } from './progress';

const usage = `Usage: unified-ws migrate [path] (--step ID | --all) [options]

Applies the consolidation in steps, one git commit each: plans the steps from the legacy uses,
rewrites each step's files with the codemod, runs --verify and rolls the step back if it fails,
then commits it (the message names the codes and counts; a trailer "${STEP_TRAILER}: <id>" lets
\`unified-ws revert <id>\` undo exactly that step). A killed run resumes where it stopped.

  --step ID          apply one step (a code such as UWS004, or dir:<directory> with --by dir)
  --all              apply every step, in order
  --dry-run          print the unified diff of what would change; write nothing
  --verify "cmd"     a command that must pass after each step (your type-check and tests)
  --no-commit        apply (and verify) without committing
  --by code|dir      one step per deprecation code (default) or per top-level directory
  --manifest file    a JSON manifest of your own consolidation (default: unified-ws's)
  --allow-dirty      run on a working tree with uncommitted changes
  --json             machine-readable output

Exit codes: 0 done, 1 a verify failed (that step was rolled back) or some files did not parse
(they are named, and left untouched), 2 usage or input error
(not a directory, not a git repository, a dirty tree, an unknown step, a corrupt journal,
a malformed manifest, unified-ws too old).`;

interface Step {
  id: string;
  codes: string[];
  files: string[];
}

interface StepResult {
  id: string;
  status: 'committed' | 'applied' | 'unchanged' | 'rolled-back' | 'dry-run';
  changed: number;
  marked: number;
  commit?: string;
  diff?: string;
}

function planSteps(
  root: string,
  manifest: Manifest,
  by: 'code' | 'dir',
  options: { manifest?: string },
  io: CommandIO,
): { steps: Step[]; unparsable: number } {
  const { uses, unparsable } = findLegacyUses(root, resolverFor({ root, ...options }));
  for (const file of unparsable)
    io.stderr.write(`${file.file}:${file.line}: not parsed, left untouched: ${file.message}\n`);
  const steps = new Map<string, Step>();
  for (const use of uses) {
    const id =
      by === 'code'
        ? use.code
        : `dir:${use.file.includes(sep) ? (use.file.split(sep)[0] as string) : '.'}`;
    const step = steps.get(id) ?? { id, codes: [], files: [] };
    if (!step.codes.includes(use.code)) step.codes.push(use.code);
    if (!step.files.includes(use.file)) step.files.push(use.file);
    steps.set(id, step);
  }
  const order = manifest.entries.map((e) => e.code);
  const planned = [...steps.values()]
    .map((s) => ({ ...s, codes: s.codes.sort((a, b) => order.indexOf(a) - order.indexOf(b)) }))
    .sort((a, b) =>
      by === 'code' ? order.indexOf(a.id) - order.indexOf(b.id) : a.id.localeCompare(b.id),
    );
  return { steps: planned, unparsable: unparsable.length };
}

/** Refuses, naming the version to install, when the repository's unified-ws predates the steps. */
function checkInstalledVersion(root: string, manifest: Manifest, codes: readonly string[]): void {
  const needed = manifest.entries
    .filter((e) => codes.includes(e.code))
    .map((e) => e.since)
    .sort(semver.rcompare)[0];
  if (!needed) return;
  const pkg = join(root, 'node_modules', manifest.canonical, 'package.json');
  const installed = existsSync(pkg)
    ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version
    : undefined;
  if (!installed)
    throw new ExitError(
      EXIT.USAGE,
      `${manifest.canonical} is not installed in ${root}: run \`npm install ${manifest.canonical}@^${needed}\` first (the canonical names exist since ${needed})`,
    );
  if (semver.lt(installed, needed))
    throw new ExitError(
      EXIT.USAGE,
      `${manifest.canonical}@${installed} does not yet provide the canonical names: install ${manifest.canonical}@^${needed} or later`,
    );
}

function verify(root: string, command: string, io: CommandIO): boolean {
  const result = spawnSync(command, { cwd: root, shell: true, encoding: 'utf8' });
  if (result.status !== 0)
    io.stderr.write(`verify failed (${command}):\n${result.stdout}${result.stderr}\n`);
  return result.status === 0;
}

function restore(root: string, files: readonly string[]): void {
  if (files.length > 0) git(root, ['checkout', '--', ...files]);
}

function applyStep(
  root: string,
  step: Step,
  options: { manifest?: string; dryRun: boolean },
  progress: Progress,
): { changed: string[]; marked: number; diff: string } {
  const changed: string[] = [];
  let marked = 0;
  let diff = '';
  progress.start(step.files.length, step.id);
  for (const file of step.files) {
    progress.tick();
    const path = join(root, file);
    const processOptions =
      options.manifest === undefined
        ? { root, codes: step.codes, dryRun: options.dryRun }
        : { root, codes: step.codes, dryRun: options.dryRun, manifest: options.manifest };
    const result = processFile(path, processOptions);
    if (result.status === 'parse-error')
      throw new ExitError(
        EXIT.USAGE,
        `${file}:${result.error?.line}: does not parse; nothing of step ${step.id} was written: ${result.error?.message}`,
      );
    marked += result.markers.length;
    if (result.status === 'changed' || result.status === 'marker') {
      changed.push(file);
      if (options.dryRun && result.output !== undefined)
        diff += unifiedDiff(root, file, result.output);
    }
  }
  progress.stop();
  return { changed, marked, diff };
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

export const migrate: Command = {
  summary: 'apply the consolidation in verified steps, one git commit each',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        step: { type: 'string' },
        all: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        verify: { type: 'string' },
        'no-commit': { type: 'boolean' },
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
    if (!values.step && !values.all && !values['dry-run'])
      throw new ExitError(EXIT.USAGE, `say which steps: --step ID or --all\n\n${usage}`);
    const root = directoryArgument(positionals[0]);
    if (!isGitRepository(root))
      throw new ExitError(EXIT.USAGE, `${root} is not a git repository: migrate commits each step`);
    const manifestFile = manifestOption(values);
    const manifest = resolverFor({ root, ...manifestFile }).manifest;
    const dryRun = values['dry-run'] === true;
    const journal = readJournal(root);
    const interrupted = journal?.step;
    if (interrupted && !dryRun) removeStrayTemporaries(root, interrupted.files);
    const dirty = dirtyFiles(root).filter((file) => !interrupted?.files.includes(file));
    if (dirty.length > 0 && !values['allow-dirty'] && !dryRun) {
      throw new ExitError(
        EXIT.USAGE,
        `the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): commit or stash them, or pass --allow-dirty`,
      );
    }

    const plan = planSteps(root, manifest, by, manifestFile, io);
    let steps = plan.steps;
    if (interrupted && !dryRun) {
      io.stderr.write(`resuming step ${interrupted.id}, interrupted while ${interrupted.state}\n`);
      const rest = steps.filter((s) => s.id !== interrupted.id);
      steps = [{ id: interrupted.id, codes: interrupted.codes, files: interrupted.files }, ...rest];
    }
    if (values.step) {
      const wanted = String(values.step);
      const step = steps.find((s) => s.id === wanted);
      if (!step) {
        const known = manifest.entries.some((e) => e.code === wanted) || wanted.startsWith('dir:');
        throw new ExitError(
          EXIT.USAGE,
          known
            ? `step ${wanted} has nothing to migrate in ${root}`
            : `unknown step "${wanted}": steps here are ${steps.map((s) => s.id).join(', ') || 'none'}`,
        );
      }
      steps = [step];
    }
    if (!dryRun)
      checkInstalledVersion(
        root,
        manifest,
        steps.flatMap((s) => s.codes),
      );

    const results: StepResult[] = [];
    const progress = progressFor(io.stderr);
    for (const step of steps) {
      if (dryRun) {
        const { changed, marked, diff } = applyStep(
          root,
          step,
          { ...manifestFile, dryRun: true },
          progress,
        );
        results.push({ id: step.id, status: 'dry-run', changed: changed.length, marked, diff });
        continue;
      }
      const record: JournalStep = {
        ...step,
        state: 'applying',
        startedAt: new Date().toISOString(),
      };
      writeJournal(root, { version: 1, step: record });
      const { marked } = applyStep(root, step, { ...manifestFile, dryRun: false }, progress);
      // Against HEAD, not against this run: a resumed step finds files the killed run already wrote.
      const changed =
        step.files.length === 0
          ? []
          : git(root, ['diff', '--name-only', '--', ...step.files])
              .stdout.split('\n')
              .filter(Boolean);
      if (changed.length === 0) {
        clearJournal(root);
        results.push({ id: step.id, status: 'unchanged', changed: 0, marked });
        continue;
      }
      writeJournal(root, { version: 1, step: { ...record, state: 'verifying' } });
      if (values.verify && !verify(root, String(values.verify), io)) {
        restore(root, step.files);
        clearJournal(root);
        results.push({ id: step.id, status: 'rolled-back', changed: changed.length, marked });
        report(io, results, values.json === true);
        return EXIT.FAILURE;
      }
      if (values['no-commit']) {
        clearJournal(root);
        results.push({ id: step.id, status: 'applied', changed: changed.length, marked });
        continue;
      }
      git(root, ['add', '--', ...changed]);
      const entries = manifest.entries.filter((e) => step.codes.includes(e.code));
      const message = [
        `unified-ws: migrate ${step.codes.join(', ')} (${changed.length} file${changed.length === 1 ? '' : 's'}${marked ? `, ${marked} marker${marked === 1 ? '' : 's'}` : ''})`,
        '',
        ...entries.map(
          (e) => `- ${e.code}: ${legacySpecifier(manifest, e)} → ${manifest.canonical}`,
        ),
        '',
        `${STEP_TRAILER}: ${step.id}`,
      ].join('\n');
      git(root, [
        '-c',
        'user.name=unified-ws',
        '-c',
        'user.email=unified-ws@localhost',
        'commit',
        '--quiet',
        '--no-verify',
        '-m',
        message,
      ]);
      clearJournal(root);
      results.push({
        id: step.id,
        status: 'committed',
        changed: changed.length,
        marked,
        commit: git(root, ['rev-parse', 'HEAD']).stdout.trim(),
      });
    }
    report(io, results, values.json === true);
    // Files that do not parse were left as they were; the run says so in its exit code too.
    return plan.unparsable > 0 ? EXIT.FAILURE : EXIT.OK;
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
