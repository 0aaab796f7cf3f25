import { execFile, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
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

/** Paths with uncommitted changes, relative to dir (tracked or untracked, ignored files excepted). */
export function dirtyFiles(dir: string, options: { untracked?: boolean } = {}): string[] {
  return changedPaths(topLevelPrefix(dir), git(dir, statusArgs(options)).stdout);
}

/**
 * dirtyFiles, with `git status` running in the background meanwhile (on a large tree it takes a
 * while, and the caller has other work to do).
 */
export function dirtyFilesLater(
  dir: string,
  options: { untracked?: boolean } = {},
): Promise<string[]> {
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        'git',
        args,
        { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (!error) resolve(stdout);
          else if (typeof error.code === 'number') reject(new GitError(args, stderr));
          else reject(new GitError(args, '', error));
        },
      );
    });
  // Both run at once; both have ended when this settles, whichever failed.
  return Promise.allSettled([run(['rev-parse', '--show-prefix']), run(statusArgs(options))]).then(
    ([prefix, status]) => {
      if (prefix.status === 'rejected') throw prefix.reason;
      if (status.status === 'rejected') throw status.reason;
      return changedPaths(prefix.value.trim(), status.value);
    },
  );
}

function statusArgs(options: { untracked?: boolean }): string[] {
  return [
    'status',
    '--porcelain',
    '-z',
    `--untracked-files=${options.untracked === false ? 'no' : 'all'}`,
    '--',
    '.',
  ];
}

/** Where dir is in its work tree ("" at the top level, "sub/dir/" below it). */
function topLevelPrefix(dir: string): string {
  return git(dir, ['rev-parse', '--show-prefix']).stdout.trim();
}

/** The paths of `git status --porcelain -z` (relative to the top level), relative to dir. */
function changedPaths(prefix: string, porcelain: string): string[] {
  const entries = porcelain.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as string;
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++; // the original path of a rename or copy
  }
  return paths
    .map((path) => (path.startsWith(prefix) ? path.slice(prefix.length) : path))
    .filter((path) => !path.startsWith('.unified-ws/'));
}

/** The commit HEAD names; undefined on a branch without commits yet. */
export function headCommit(dir: string): string | undefined {
  const result = git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD'], true);
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Why git would not know who commits, or undefined when it does: a name and an e-mail set on
 * purpose (git config user.name/user.email, or GIT_AUTHOR_* / GIT_COMMITTER_* / EMAIL), never the
 * user@host git guesses on some machines.
 */
export function missingIdentity(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const config = (key: string) => git(dir, ['config', '--get', key], true).stdout.trim();
  const name = env.GIT_AUTHOR_NAME || config('user.name');
  const email = env.GIT_AUTHOR_EMAIL || config('user.email') || env.EMAIL;
  const missing = [!name && 'user.name', !email && 'user.email'].filter(Boolean);
  if (missing.length > 0)
    return `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`;
  for (const who of ['GIT_AUTHOR_IDENT', 'GIT_COMMITTER_IDENT']) {
    const result = git(dir, ['var', who], true);
    if (result.status !== 0)
      return (
        result.stderr
          .split('\n')
          .filter((line) => line.startsWith('fatal:'))
          .join(' ')
          .replace(/^fatal: /, '') || `git var ${who} failed`
      );
  }
  return undefined;
}

/** How to tell git who commits: the two commands, as git itself words them. */
export const IDENTITY_HELP =
  'set it with\n  git config --global user.name "Your Name"\n  git config --global user.email you@example.com\n(without --global for this repository only)';

/** The commit hooks git would run for a commit here (executable files in the hooks directory). */
export function commitHooks(dir: string): string[] {
  const path = git(dir, ['rev-parse', '--git-path', 'hooks'], true).stdout.trim();
  if (!path) return [];
  const hooks = isAbsolute(path) ? path : join(dir, path);
  return ['pre-commit', 'prepare-commit-msg', 'commit-msg'].filter((hook) => {
    const file = join(hooks, hook);
    try {
      accessSync(file, constants.X_OK);
      return existsSync(file);
    } catch {
      return false;
    }
  });
}

export type CommitOutcome =
  | { ok: true; commit: string }
  | { ok: false; status: number | null; signal: NodeJS.Signals | null; output: string };

/**
 * Commits exactly `paths` (their working-tree contents) as the user, with the user's hooks unless
 * `noVerify`. Nothing else staged goes in, and when a hook or git refuses, the index is as it was.
 * Runs in a process group of its own, so a Ctrl-C meant for unified-ws does not kill git half-way.
 */
export function commitPaths(
  dir: string,
  message: string,
  paths: readonly string[],
  options: { noVerify?: boolean } = {},
): Promise<CommitOutcome> {
  const args = [
    'commit',
    '--quiet',
    ...(options.noVerify ? ['--no-verify'] : []),
    '-m',
    message,
    '--',
    ...paths.map((path) => `:(literal)${path}`),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error) => reject(new GitError(args, '', error)));
    child.on('close', (status, signal) => {
      if (status === 0) {
        const commit = headCommit(dir);
        if (commit) return resolve({ ok: true, commit });
      }
      resolve({ ok: false, status, signal, output });
    });
  });
}

export const STEP_TRAILER = 'Unified-Ws-Step';

/** The step a commit's trailer names, if any. */
export function stepOfCommit(dir: string, commit: string): string | undefined {
  const out = git(
    dir,
    ['log', '-1', `--format=%(trailers:key=${STEP_TRAILER},valueonly)`, commit],
    true,
  ).stdout.trim();
  return out.split('\n')[0] || undefined;
}

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
