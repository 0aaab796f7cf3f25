/**
 * One step of a migration: the new texts the codemod computes for its files, run as a journaled
 * step (migrate-journaled-step.ts). The runner and the results (migrate-results.ts) are exported
 * from here too, where `migrate` and `shim` import them.
 */
import { spawnSync } from 'node:child_process';
import { STEP_TRAILER, VERIFY_TRAILER } from '../migration/git';
import { runCodemod } from '../migration/runner';
import { legacySpecifier } from '../manifest/render';
import { canonicalOf } from '../manifest/targets';
import type { Manifest } from '../manifest/types';
import { EXIT, ExitError } from './exit-error';
import {
  runJournaledStep,
  stepFiles,
  type StepOutcome,
  type StepRunner,
} from './migrate-journaled-step';
import type { Plan, Step } from './migrate-plan';

export {
  incompleteMessage,
  runJournaledStep,
  stepFiles,
  type JournaledStep,
  type StepOutcome,
  type StepRunner,
} from './migrate-journaled-step';
export { printResults, type StepResult } from './migrate-results';

export interface RunContext extends StepRunner {
  manifest: Manifest;
  manifestFile: { manifest?: string };
  plan: Plan;
  tracked: ReadonlySet<string>;
  signal: AbortSignal;
}

/** The new text of each file of a step, from the plan where it still holds, else parsed again. */
export async function computeStep(context: RunContext, step: Step, dryRun: boolean) {
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

/** One step of a migration: the codemod's new texts, run as a journaled step. */
export async function runStep(context: RunContext, step: Step): Promise<StepOutcome> {
  const { marked, changed } = await computeStep(context, step, false);
  const files = stepFiles(
    context.root,
    step.id,
    changed.map((file) => ({
      path: file.path,
      output: file.output as string,
      sourceHash: file.sourceHash,
    })),
    context.tracked,
  );
  return runJournaledStep(context, {
    id: step.id,
    codes: step.codes,
    files,
    marked,
    message: (committed) =>
      commitMessage(context.manifest, step, committed, marked, context.verify),
  });
}

function commitMessage(
  manifest: Manifest,
  step: Step,
  changed: number,
  marked: number,
  verify: string | undefined,
): string {
  const entries = manifest.entries.filter((e) => step.codes.includes(e.code));
  return [
    `unified-ws: migrate ${step.codes.join(', ')} (${changed} file${changed === 1 ? '' : 's'}${marked ? `, ${marked} marker${marked === 1 ? '' : 's'}` : ''})`,
    '',
    // Each entry's own target: its `canonical`, else the manifest's (fs/promises → node:fs/promises).
    ...entries.map(
      (e) => `- ${e.code}: ${legacySpecifier(manifest, e)} → ${canonicalOf(manifest, e)}`,
    ),
    '',
    `${STEP_TRAILER}: ${step.id}`,
    // The verify it passed (on one line: a trailer is one).
    ...(verify === undefined ? [] : [`${VERIFY_TRAILER}: ${verify.replace(/\s*\n\s*/g, ' ')}`]),
  ].join('\n');
}

/** `git diff --no-index` between the file and its rewrite: a standard unified diff. */
export function unifiedDiff(root: string, file: string, output: string): string {
  const result = spawnSync('git', ['diff', '--no-index', '--no-color', '--', file, '-'], {
    cwd: root,
    input: output,
    encoding: 'utf8',
  });
  return result.stdout.replace(/^\+\+\+ b\/-$/m, `+++ b/${file}`);
}
