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

/**
 * Paths with uncommitted changes, relative to dir (tracked or untracked, ignored files excepted).
 * `untracked: false` leaves untracked files out; `untrackedAmong` keeps only those of its paths
 * (relative to dir): the untracked files a command would write. One `git status` either way.
 */
export function dirtyFiles(
  dir: string,
  options: { untracked?: boolean; untrackedAmong?: ReadonlySet<string> } = {},
): string[] {
  const { untrackedAmong } = options;
  return changedPaths(workTreePrefix(dir), git(dir, statusArgs(options)).stdout, untrackedAmong);
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
export function workTreePrefix(dir: string): string {
  return git(dir, ['rev-parse', '--show-prefix']).stdout.trim();
}

/** The paths of `git status --porcelain -z` (relative to the top level), relative to dir. */
function changedPaths(
  prefix: string,
  porcelain: string,
  untrackedAmong?: ReadonlySet<string>,
): string[] {
  const entries = porcelain.split('\0');
  const paths: string[] = [];
  const relativeToDir = (path: string) =>
    path.startsWith(prefix) ? path.slice(prefix.length) : path;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as string;
    if (entry.length < 4) continue;
    const path = relativeToDir(entry.slice(3));
    if (!(entry.startsWith('??') && untrackedAmong && !untrackedAmong.has(path))) paths.push(path);
    if (entry[0] === 'R' || entry[0] === 'C') i++; // the original path of a rename or copy
  }
  return paths.filter((path) => !path.startsWith('.unified-ws/'));
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

/**
 * The trailer of a step commit naming the record of the untracked files the step rewrote (their
 * bytes from before, kept under .unified-ws/untracked/: journal.ts), which revert restores.
 */
export const UNTRACKED_TRAILER = 'Unified-Ws-Untracked';

/**
 * The verify command a step's commit passed before it was made (migrate --verify), as a trailer of
 * the commit: what a campaign's pull request says was run comes from the commits, whichever run
 * made them.
 */
export const VERIFY_TRAILER = 'Unified-Ws-Verify';

/** A commit of a migration step (its STEP_TRAILER), and whether it is reverted. */
export interface StepCommit {
  commit: string;
  step: string;
  /**
   * The later commit that reverts it (git's "This reverts commit <sha>." line), unless that
   * revert was itself reverted (then the step is live again).
   */
  revertedBy?: string;
  /** Its UNTRACKED_TRAILER: the record of untracked files it rewrote, relative to the top level. */
  untracked?: string;
}

export const REVERTS = /^This reverts commit ([0-9a-f]{40}|[0-9a-f]{64})\b/m;

/**
 * Every step commit reachable from HEAD, newest first, each with the commit that reverted it.
 * One `git log` of the step commits and the revert commits, children before parents: a revert is
 * always newer than what it reverts, so walking newest first, whether each revert is itself
 * reverted is known before the commit it reverts is reached.
 */
export function stepHistory(dir: string): StepCommit[] {
  const out = git(
    dir,
    [
      'log',
      '--topo-order',
      '-E',
      `--grep=^${STEP_TRAILER}: `,
      '--grep=^This reverts commit [0-9a-f]+',
      `--format=%H%x00%(trailers:key=${STEP_TRAILER},valueonly,separator=%x1f)%x00%(trailers:key=${UNTRACKED_TRAILER},valueonly,separator=%x1f)%x00%B%x01`,
    ],
    true,
  ).stdout;
  const reverters = new Map<string, string[]>();
  const undone = new Set<string>();
  const steps: StepCommit[] = [];
  for (const record of out.split('\x01')) {
    const [commit = '', step = '', untracked = '', body = ''] = record.trim().split('\x00');
    if (!/^[0-9a-f]+$/.test(commit)) continue;
    const by = (reverters.get(commit) ?? []).find((reverter) => !undone.has(reverter));
    if (by !== undefined) undone.add(commit);
    const reverted = REVERTS.exec(body)?.[1];
    if (reverted !== undefined)
      reverters.set(reverted, [...(reverters.get(reverted) ?? []), commit]);
    const id = step.split('\x1f')[0]?.trim();
    if (!id) continue;
    const entry: StepCommit = { commit, step: id };
    if (by !== undefined) entry.revertedBy = by;
    const untrackedRecord = untracked.split('\x1f')[0]?.trim();
    if (untrackedRecord) entry.untracked = untrackedRecord;
    steps.push(entry);
  }
  return steps;
}
