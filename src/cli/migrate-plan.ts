/**
 * Planning a migration: which steps the legacy uses in the files make, whether the packages the
 * steps move to are installed, and the --plan output (text or --json).
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import semver from 'semver';
import { resolverFor } from '../migration/codemod/load-manifest';
import { mapSpecifier, readPathMapping } from '../migration/codemod/tsconfig-paths';
import { codesOf, runCodemod, type RunnerReport } from '../migration/runner';
import { canonicalTargetOf } from '../manifest/targets';
import type { Manifest } from '../manifest/types';
import type { CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { progressFor, type Progress } from './progress';

export interface Step {
  id: string;
  codes: string[];
  files: string[];
  /** Markers the plan expects in the step's files. */
  markers: number;
}

export interface Plan {
  steps: Step[];
  unparsable: { file: string; line: number; message: string }[];
  report: RunnerReport;
  /** Files left out of every step (untracked ones without --include-untracked) that use legacy modules. */
  leftAlone: string[];
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
 * it would be rewritten, so the steps reuse it instead of parsing again. The files of `leaveAlone`
 * (paths relative to root) are in no step: the plan only says which of them use legacy modules.
 */
/**
 * Whether a step id can name a step at all: a code of the manifest, or a directory step. One that
 * cannot is a usage error ("unknown step"); one that can but has no use here is not.
 */
export function isKnownStep(manifest: Manifest, id: string): boolean {
  return manifest.entries.some((e) => e.code === id) || id.startsWith('dir:');
}

export async function planSteps(
  root: string,
  manifest: Manifest,
  by: 'code' | 'dir',
  options: { manifest?: string },
  files: readonly string[],
  io: CommandIO,
  signal: AbortSignal,
  leaveAlone: ReadonlySet<string> = new Set(),
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
    .filter((file) => file.status === 'parse-error' && !leaveAlone.has(file.path))
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
  const leftAlone: string[] = [];
  for (const file of report.files) {
    if (file.status === 'parse-error') continue;
    const codes = codesOf(file);
    if (codes.length === 0) continue;
    if (leaveAlone.has(file.path)) {
      leftAlone.push(file.path);
      continue;
    }
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
  return { steps: planned, unparsable, report, leftAlone: leftAlone.sort() };
}

/** Refuses, naming the version to install, when the repository's unified-ws predates the steps. */
/**
 * Refuses, naming the version to install, when a package the steps move to is missing or predates
 * the canonical names. Only package targets are checked: a `node:` builtin, a repository file and
 * a tsconfig alias of one are always there; an entry with a `requires` condition is left to the
 * codemod, which marks each use whose condition is not met instead of rewriting it.
 */
export function checkInstalledVersion(
  root: string,
  manifest: Manifest,
  codes: readonly string[],
): void {
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

export function printPlan(io: CommandIO, plan: Plan, steps: Step[], json: boolean): void {
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
