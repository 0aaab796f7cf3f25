/**
 * The --verify command of a step: run in a process group of its own, stopped with it on an
 * interrupt, and on failure reported with the last lines of its output.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { verifyLogPath } from '../migration/journal';
import type { CommandIO } from './command';

/** Lines of the verify command's output shown when it fails. */
const TAIL_LINES = 40;

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
export function tail(lines: readonly string[]): string {
  const shown = lines.slice(-TAIL_LINES);
  const header =
    lines.length > shown.length
      ? `the last ${shown.length} of ${lines.length} lines of its output:`
      : lines.length === 0
        ? 'no output'
        : 'its output:';
  return `${header}\n${shown.map((line) => `  ${line}`).join('\n')}${shown.length ? '\n' : ''}`;
}

/**
 * The verify of one step: says it starts ("verifying <step>: <command>…") and, when the command
 * fails, how and the last lines of its output. The caller rolls the step back unless it passed.
 */
export async function verifyStep(
  root: string,
  stepId: string,
  command: string,
  io: CommandIO,
): Promise<'passed' | 'interrupted' | 'failed'> {
  io.stderr.write(`verifying ${stepId}: ${command}…\n`);
  const verified = await runVerify(root, command, io.interrupted);
  if (verified.ok) return 'passed';
  if (verified.interrupted) return 'interrupted';
  io.stderr.write(
    `verify failed for ${stepId} (${command}: ${verified.how}); ${tail(verified.lines)}`,
  );
  return 'failed';
}
