import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { SOURCE_EXTENSIONS } from './parse';

// Which files of a tree the codemod, check and audit look at. In a git work tree: the files git
// tracks (and, when asked, the untracked ones .gitignore does not ignore) — an ignored file is
// never read, let alone rewritten. Elsewhere: a walk of the tree.

/** Directory names never entered (in a git work tree: paths through them are skipped too). */
export const DEFAULT_IGNORES = ['node_modules', '.git', 'dist', 'build', 'coverage', '.unified-ws'];

const isSource = (name: string) => (SOURCE_EXTENSIONS as readonly string[]).includes(extname(name));

/** Source files under root, sorted, skipping ignored directories: the walk, for any directory. */
export function sourceFiles(
  root: string,
  ignore: ReadonlySet<string> = new Set(DEFAULT_IGNORES),
): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!ignore.has(entry.name)) visit(join(dir, entry.name));
      } else if (entry.isFile() && isSource(entry.name)) {
        files.push(join(dir, entry.name));
      }
    }
  };
  visit(root);
  return files.sort();
}

export interface GitSourceFiles {
  /** Source files git tracks under root (absolute, sorted). */
  tracked: string[];
  /** Untracked source files that no .gitignore, info/exclude or core.excludesFile ignores. */
  untracked: string[];
}

/** `git ls-files -z` under root, one entry per path; undefined outside a work tree. */
function lsFiles(root: string, args: string[]): string[] | undefined {
  const result = spawnSync('git', ['ls-files', '-z', ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) return undefined;
  return [...new Set(result.stdout.split('\0').filter(Boolean))];
}

/**
 * The source files of a git work tree, as git sees them: tracked ones, and untracked ones that are
 * not ignored (only listed with `untracked`). Symlinks and submodules are left out; paths through
 * an ignored directory name are skipped. A tracked file deleted from the working tree may still be
 * listed: readers skip what they cannot read. Undefined when root is not inside a git work tree
 * (or git cannot run).
 */
export function gitSourceFiles(
  root: string,
  options: { untracked?: boolean; ignore?: ReadonlySet<string> } = {},
): GitSourceFiles | undefined {
  // --stage: "<mode> <object> <stage>\t<path>", so symlinks (120000) and submodules (160000)
  // are known without a stat of every file.
  const staged = lsFiles(root, ['--cached', '--stage']);
  if (!staged) return undefined;
  const tracked = staged
    .filter((entry) => entry.startsWith('100'))
    .map((entry) => entry.slice(entry.indexOf('\t') + 1));
  const untracked = options.untracked ? untrackedFiles(root) : [];
  const keep = keeper(root, options.ignore);
  return { tracked: keep(tracked), untracked: keep(untracked) };
}

/** Untracked files git does not ignore (paths relative to root), regular files only. */
function untrackedFiles(root: string): string[] {
  return (lsFiles(root, ['--others', '--exclude-standard']) ?? []).filter((path) => {
    try {
      return lstatSync(join(root, path)).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * git's paths (relative to root, with /) to the absolute paths of the source files among them,
 * sorted, skipping paths through an ignored directory name.
 */
function keeper(
  root: string,
  ignore: ReadonlySet<string> = new Set(DEFAULT_IGNORES),
): (paths: readonly string[]) => string[] {
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  return (paths) =>
    [...new Set(paths)]
      .filter((path) => isSource(path) && !path.split('/').some((part) => ignore.has(part)))
      .map((path) => prefix + (sep === '/' ? path : path.split('/').join(sep)))
      .sort();
}

/**
 * The source files a command looks at: in a git work tree, the tracked ones plus (by default) the
 * untracked ones that are not ignored; in any other directory, every source file of the walk.
 */
export function discoverSourceFiles(
  root: string,
  options: { untracked?: boolean; ignore?: ReadonlySet<string> } = {},
): string[] {
  const ignore = options.ignore ?? new Set(DEFAULT_IGNORES);
  const git = gitSourceFiles(root, { untracked: options.untracked ?? true, ignore });
  if (!git) return sourceFiles(root, ignore);
  return [...git.tracked, ...git.untracked].sort();
}

/**
 * A listed file's bytes, or undefined when it is not there to read (deleted since git listed it, a
 * directory now). A candidate is then checked with `isRegularFile`: a symlink is never rewritten.
 */
export function readListedFile(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ELOOP')
      return undefined;
    throw error;
  }
}

/** Whether a path is a regular file itself (not a symlink to one). */
export function isRegularFile(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

/**
 * gitSourceFiles, narrowed to the files whose working-tree text may contain one of the needles:
 * `git grep` reads the tree (in parallel) instead of this process reading every file. It looks for
 * the needles' first eight characters only (many long patterns slow it down several times over),
 * so this is a superset: the caller checks the whole needles in the few files it returns.
 * Undefined outside a work tree or when git grep fails (then read every file of gitSourceFiles).
 */
export function gitSourceFilesMentioning(
  root: string,
  needles: readonly string[],
  options: { untracked?: boolean; ignore?: ReadonlySet<string> } = {},
): GitSourceFiles | undefined {
  if (needles.length === 0) return { tracked: [], untracked: [] };
  const heads = [...new Set(needles.map((needle) => needle.slice(0, 8)))];
  const result = spawnSync(
    'git',
    [
      '-c',
      'grep.fullName=false',
      'grep',
      '-l',
      '-z',
      '-F',
      '--no-color',
      ...(options.untracked ? ['--untracked'] : []),
      ...heads.flatMap((head) => ['-e', head]),
      '--',
      ...SOURCE_EXTENSIONS.map((ext) => `*${ext}`),
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
  );
  // 0: some match, 1: none; anything else is an error.
  if (result.error || (result.status !== 0 && result.status !== 1)) return undefined;
  const hits = result.stdout.split('\0').filter(Boolean);
  // Without --untracked git grep searches tracked files only; with it, the untracked ones are told
  // apart by the (short) list of untracked files.
  const untracked = new Set(options.untracked ? untrackedFiles(root) : []);
  const keep = keeper(root, options.ignore);
  return {
    tracked: keep(hits.filter((path) => !untracked.has(path))),
    untracked: keep(hits.filter((path) => untracked.has(path))),
  };
}
