import { spawnSync } from 'node:child_process';
import { GitError } from '../errors/git-error';

/** Runs git; a failure (unless allowed) is a GitError carrying git's own message. */
export function git(
  cwd: string,
  args: string[],
  allowFailure = false,
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new GitError(args, '', result.error);
  const out = { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  if (out.status !== 0 && !allowFailure) throw new GitError(args, out.stderr);
  return out;
}

export function isGitRepository(dir: string): boolean {
  return git(dir, ['rev-parse', '--is-inside-work-tree'], true).stdout.trim() === 'true';
}

/** Paths with uncommitted changes (tracked or untracked, ignored files excepted). */
export function dirtyFiles(dir: string): string[] {
  return git(dir, ['status', '--porcelain', '--untracked-files=all'])
    .stdout.split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3))
    .filter((path) => !path.startsWith('.unified-ws/'));
}

export const STEP_TRAILER = 'Unified-Ws-Step';

/** The commit that carries a step's trailer, newest first. */
export function stepCommit(dir: string, stepId: string): string | undefined {
  const out = git(
    dir,
    [
      'log',
      '--format=%H',
      `--grep=^${STEP_TRAILER}: ${stepId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
    ],
    true,
  ).stdout.trim();
  return out.split('\n').filter(Boolean)[0];
}

/** Step ids of migration commits, newest first. */
export function stepCommits(dir: string): { commit: string; step: string }[] {
  const out = git(
    dir,
    ['log', '--format=%H%x00%(trailers:key=' + STEP_TRAILER + ',valueonly)%x01'],
    true,
  ).stdout;
  return out
    .split('\x01')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [commit = '', step = ''] = record.split('\x00');
      return { commit: commit.trim(), step: step.trim() };
    })
    .filter((entry) => entry.step !== '');
}
