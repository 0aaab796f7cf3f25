import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { JournalError } from '../errors/journal-error';
import { sha256, writeAtomically } from './codemod/process-file';
import { git, headCommit, stepOfCommit, workTreePrefix } from './git';

// The journal of the step in progress: .unified-ws/journal.json names every file the step writes,
// with the sha256 of its bytes before and after and its mode; .unified-ws/backup/<step>.json holds
// the bytes before (base64, by path). Both are written before the step writes any file, so a step
// can always be undone byte for byte — tracked file or not, without asking git — whatever stopped
// it.
//
// Untracked files a step rewrites (--include-untracked) are in no commit, so git cannot undo them.
// Their bytes from before also go to a record that outlives the step: .unified-ws/untracked/
// <step>-<random>.json, written with the journal, named by the step's commit (the trailer
// Unified-Ws-Untracked: <its path from the top of the work tree>), removed when the step is rolled
// back or not committed, and read by revert to put the files back. It lives as long as the
// untracked files themselves: in this work tree, out of git.

/** One file a step writes. */
export interface JournalEntry {
  /** Relative to the root, with the platform's separators. */
  path: string;
  /** sha256 of the bytes before the step: the backup's bytes. */
  before: string;
  /** sha256 of the bytes the step writes. */
  after: string;
  /** The file's mode before the step. */
  mode: number;
  /** Whether git tracked it (an untracked file is rewritten and restored, never committed). */
  tracked: boolean;
}

export type StepState = 'applying' | 'verifying' | 'committing' | 'rolling-back';

/** The step in progress: written before a step touches a file, removed once it is done or undone. */
export interface JournalStep {
  id: string;
  codes: string[];
  /** Every file the step writes. */
  files: string[];
  state: StepState;
  startedAt: string;
  /** HEAD before the step: tells whether the step's own commit landed before a run stopped. */
  head?: string;
  /** The backup file (base64 bytes by path), relative to .unified-ws/ (absent in version 1). */
  backup?: string;
  /** One per file (absent in journals of version 1, which can only be undone with git). */
  entries?: JournalEntry[];
  /** The record of the untracked files it rewrites, relative to .unified-ws/ (when there are). */
  untracked?: string;
}

export interface Journal {
  version: 1 | 2;
  step: JournalStep;
}

/** A file the step writes, with what it holds now and what the step will write. */
export interface StepFile {
  path: string;
  original: Buffer;
  output: string;
  mode: number;
  tracked: boolean;
}

export interface RestoreResult {
  /** Files written back. */
  restored: string[];
  /** Files that already held their bytes from before the step. */
  unchanged: string[];
  /** Files that could not be restored, with why. */
  failed: { path: string; reason: string }[];
}

const DIR = '.unified-ws';
const FILE = 'journal.json';
const BACKUPS = 'backup';
const UNTRACKED = 'untracked';

/** The bytes from before a step of the untracked files it rewrote (never in its commit). */
export interface UntrackedRecord {
  version: 1;
  step: string;
  /** Where the step's root is in the work tree ("" at the top, "sub/dir/" below): paths are relative to it. */
  prefix: string;
  createdAt: string;
  files: { path: string; mode: number; before: string; after: string; bytes: string }[];
}

export function journalPath(root: string): string {
  return join(root, DIR, FILE);
}

/** The interrupted step, if a run was killed; a corrupt journal is a clear error, never a guess. */
export function readJournal(root: string): Journal | undefined {
  const path = journalPath(root);
  if (!existsSync(path)) return undefined;
  try {
    const journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
    if (
      (journal.version !== 1 && journal.version !== 2) ||
      typeof journal.step?.id !== 'string' ||
      !Array.isArray(journal.step.files) ||
      (journal.version === 2 &&
        (typeof journal.step.backup !== 'string' || !Array.isArray(journal.step.entries)))
    )
      throw new Error('unknown format');
    const paths = [...journal.step.files, ...(journal.step.entries ?? []).map((e) => e.path)];
    if (journal.step.backup !== undefined) paths.push(journal.step.backup);
    if (journal.step.untracked !== undefined) paths.push(journal.step.untracked);
    for (const file of paths)
      if (typeof file !== 'string' || isAbsolute(file) || file.split(/[\\/]/).includes('..'))
        throw new Error(`a path outside the repository: ${String(file)}`);
    return journal;
  } catch (error) {
    throw new JournalError(
      path,
      `${path} is corrupt (${(error as Error).message}): check \`git status\`; the bytes of the files from before the step are under ${join(root, DIR, BACKUPS)}; restore what you need, then delete ${join(root, DIR)}`,
      error,
    );
  }
}

/** Writes the journal atomically (temp file, then rename), so a kill leaves the old or the new one. */
export function writeJournal(root: string, journal: Journal): void {
  const dir = join(root, DIR);
  mkdirSync(dir, { recursive: true });
  ignoreInGit(root);
  writeAtomicallyIn(journalPath(root), `${JSON.stringify(journal, null, 2)}\n`);
}

/** Sets the state of the step in progress (atomically, like every journal write). */
export function setState(root: string, journal: Journal, state: StepState): Journal {
  const next: Journal = { ...journal, step: { ...journal.step, state } };
  writeJournal(root, next);
  return next;
}

/** Removes the journal, the backups and a verify log a killed run left: no state is left behind. */
export function clearJournal(root: string): void {
  rmSync(journalPath(root), { force: true });
  rmSync(join(root, DIR, BACKUPS), { recursive: true, force: true });
  rmSync(verifyLogPath(root), { force: true });
}

/**
 * Where the output of the verify command goes while it runs (its stdout and stderr interleaved),
 * inside .unified-ws/ so that a killed run leaves nothing elsewhere.
 */
export function verifyLogPath(root: string): string {
  return join(root, DIR, 'verify.log');
}

/**
 * Records a step before it writes anything: the bytes of every file it will write go to
 * .unified-ws/backup/<step>.json (base64 by path), then the journal naming them (atomically). A
 * kill before the journal is in place leaves nothing to undo: no file was written yet.
 */
export function beginStep(
  root: string,
  step: { id: string; codes: string[]; head?: string },
  files: readonly StepFile[],
): Journal {
  const name = step.id.replace(/[^\w.-]/g, '_');
  const backup = join(BACKUPS, `${name}.json`);
  mkdirSync(join(root, DIR, BACKUPS), { recursive: true });
  ignoreInGit(root);
  const backups: Record<string, string> = {};
  for (const file of files) backups[file.path] = file.original.toString('base64');
  writeAtomicallyIn(join(root, DIR, backup), JSON.stringify(backups));
  const untrackedFiles = files.filter((file) => !file.tracked);
  let untracked: string | undefined;
  if (untrackedFiles.length > 0) {
    untracked = join(UNTRACKED, `${name}-${randomBytes(6).toString('hex')}.json`);
    mkdirSync(join(root, DIR, UNTRACKED), { recursive: true });
    const record: UntrackedRecord = {
      version: 1,
      step: step.id,
      prefix: workTreePrefix(root),
      createdAt: new Date().toISOString(),
      files: untrackedFiles.map((f) => ({
        path: f.path.split(sep).join('/'),
        mode: f.mode,
        before: sha256(f.original),
        after: sha256(f.output),
        bytes: f.original.toString('base64'),
      })),
    };
    writeAtomicallyIn(join(root, DIR, untracked), `${JSON.stringify(record, null, 2)}\n`);
  }
  const record: JournalStep = {
    id: step.id,
    codes: step.codes,
    files: files.map((f) => f.path),
    state: 'applying',
    startedAt: new Date().toISOString(),
    backup,
    entries: files.map((f) => ({
      path: f.path,
      before: sha256(f.original),
      after: sha256(f.output),
      mode: f.mode,
      tracked: f.tracked,
    })),
  };
  if (step.head !== undefined) record.head = step.head;
  if (untracked !== undefined) record.untracked = untracked;
  const journal: Journal = { version: 2, step: record };
  writeJournal(root, journal);
  return journal;
}

/** Writes a file of .unified-ws/ whole or not at all (temp file, then rename). */
function writeAtomicallyIn(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Whether the step's own commit landed (HEAD moved onto a commit with its trailer). */
export function stepCommitted(root: string, step: JournalStep): string | undefined {
  if (step.state !== 'committing') return undefined;
  const head = headCommit(root);
  if (!head || head === step.head) return undefined;
  return stepOfCommit(root, head) === step.id ? head : undefined;
}

/**
 * Files of the step that now hold neither their bytes from before the step nor the ones it wrote:
 * someone changed them since (or the verify command did).
 */
export function changedSince(root: string, step: JournalStep): string[] {
  return (step.entries ?? [])
    .filter((entry) => {
      const current = readBytes(join(root, entry.path));
      if (current === undefined) return true;
      const hash = sha256(current);
      return hash !== entry.before && hash !== entry.after;
    })
    .map((entry) => entry.path);
}

/**
 * Puts back every file of the step byte for byte (and mode) from the backups, each atomically;
 * files deleted since are recreated. Never uses git for a journal of version 2. A file that
 * cannot be written (a directory where it was, a parent that became a file, a missing or damaged
 * backup) is reported, and the others are still restored.
 */
export function restoreStep(root: string, step: JournalStep): RestoreResult {
  removeStrayTemporaries(root, step.files);
  const result: RestoreResult = { restored: [], unchanged: [], failed: [] };
  if (!step.entries || step.backup === undefined) {
    // A journal of version 1 (no backups): only git can say what the files were.
    const tracked = step.files.filter((file) => existsSync(join(root, file)));
    const out = git(root, ['checkout', '--', ...tracked], true);
    if (out.status === 0) result.restored.push(...tracked);
    else
      result.failed.push(
        ...tracked.map((path) => ({ path, reason: out.stderr.trim() || 'git checkout failed' })),
      );
    return result;
  }
  let backups: Record<string, string> = {};
  try {
    backups = JSON.parse(readFileSync(join(root, DIR, step.backup), 'utf8')) as Record<
      string,
      string
    >;
  } catch {
    // missing or damaged: each file says so below
  }
  for (const entry of step.entries) {
    const target = join(root, entry.path);
    const encoded = Object.hasOwn(backups, entry.path) ? backups[entry.path] : undefined;
    const bytes = typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : undefined;
    if (bytes === undefined) {
      result.failed.push({ path: entry.path, reason: 'its backup is missing' });
      continue;
    }
    if (sha256(bytes) !== entry.before) {
      result.failed.push({ path: entry.path, reason: 'its backup is damaged' });
      continue;
    }
    try {
      const stat = lstatSync(target, { throwIfNoEntry: false });
      const current = stat?.isFile() ? readFileSync(target) : undefined;
      if (current?.equals(bytes) && ((stat?.mode ?? 0) & 0o7777) === (entry.mode & 0o7777)) {
        result.unchanged.push(entry.path);
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeAtomically(target, bytes, entry.mode);
      result.restored.push(entry.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.failed.push({
        path: entry.path,
        reason:
          code === 'EISDIR'
            ? 'a directory is in its place'
            : code === 'ENOTDIR' || code === 'EEXIST'
              ? 'a file is in the place of its directory'
              : (error as Error).message,
      });
    }
  }
  return result;
}

/**
 * Restores the step from the journal; the journal and backups go only once every file is back
 * (and the record of its untracked files with them: no commit names it).
 */
export function rollBack(root: string, journal: Journal): RestoreResult {
  const current = setState(root, journal, 'rolling-back');
  const result = restoreStep(root, current.step);
  if (result.failed.length === 0) {
    removeUntrackedRecord(root, current.step);
    clearJournal(root);
  }
  return result;
}

/** Removes the record of a step's untracked files: for a step that no commit names. */
export function removeUntrackedRecord(root: string, step: JournalStep): void {
  if (step.untracked !== undefined) rmSync(join(root, DIR, step.untracked), { force: true });
}

/**
 * The value of a step commit's Unified-Ws-Untracked trailer: its record, from the top of the
 * work tree (so revert finds it from any directory of it), with /.
 */
export function untrackedTrailerValue(root: string, step: JournalStep): string | undefined {
  if (step.untracked === undefined) return undefined;
  return `${workTreePrefix(root)}${DIR}/${step.untracked.split(sep).join('/')}`;
}

/** What revert does with one untracked file of a record. */
export interface UntrackedFilePlan {
  /** Relative to the step's root, with /. */
  path: string;
  /** Absolute. */
  file: string;
  mode: number;
  bytes: Buffer;
  /**
   * restore: it holds what the step wrote; unchanged: it holds its bytes from before already;
   * gone: deleted since (left so); changed: changed since (revert would lose the change).
   */
  action: 'restore' | 'unchanged' | 'gone' | 'changed';
}

export type UntrackedPlan =
  | { status: 'ok'; record: string; files: UntrackedFilePlan[] }
  | { status: 'missing' | 'damaged'; record: string; reason: string };

/**
 * Reads the record a step commit's trailer names (`value`, from the top of the work tree) and
 * says, for each of its files, what reverting the step does with it.
 */
export function planUntrackedRestore(root: string, value: string): UntrackedPlan {
  const parts = value.split('/');
  const inside =
    /^[\w.-]+\.json$/.test(parts.at(-1) ?? '') &&
    parts.at(-2) === UNTRACKED &&
    parts.at(-3) === DIR &&
    !parts.includes('..') &&
    !isAbsolute(value);
  if (!inside)
    return { status: 'damaged', record: value, reason: 'not a record of .unified-ws/untracked/' };
  const top = git(root, ['rev-parse', '--show-toplevel']).stdout.trim();
  const path = join(top, ...parts);
  let record: UntrackedRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as UntrackedRecord;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      status: missing ? 'missing' : 'damaged',
      record: value,
      reason: missing ? 'missing' : (error as Error).message,
    };
  }
  const files: UntrackedFilePlan[] = [];
  const valid =
    record?.version === 1 && typeof record.prefix === 'string' && Array.isArray(record.files);
  if (!valid || !safeRelative(record.prefix || '.'))
    return { status: 'damaged', record: value, reason: 'not a record of untracked files' };
  for (const entry of record.files) {
    const bytes = typeof entry?.bytes === 'string' ? Buffer.from(entry.bytes, 'base64') : undefined;
    if (
      typeof entry?.path !== 'string' ||
      !safeRelative(entry.path) ||
      bytes === undefined ||
      sha256(bytes) !== entry.before
    )
      return {
        status: 'damaged',
        record: value,
        reason: `the bytes of ${String(entry?.path)} are damaged`,
      };
    const file = join(top, record.prefix, entry.path);
    const current = readBytes(file);
    const hash = current === undefined ? undefined : sha256(current);
    files.push({
      path: entry.path,
      file,
      mode: entry.mode,
      bytes,
      action:
        hash === undefined
          ? 'gone'
          : hash === entry.before
            ? 'unchanged'
            : hash === entry.after
              ? 'restore'
              : 'changed',
    });
  }
  return { status: 'ok', record: value, files };
}

/** Writes back the files a plan restores (each atomically, with its mode); says which failed. */
export function restoreUntracked(files: readonly UntrackedFilePlan[]): RestoreResult {
  const result: RestoreResult = { restored: [], unchanged: [], failed: [] };
  for (const file of files) {
    if (file.action === 'unchanged') result.unchanged.push(file.path);
    if (file.action !== 'restore') continue;
    try {
      writeAtomically(file.file, file.bytes, file.mode);
      result.restored.push(file.path);
    } catch (error) {
      result.failed.push({ path: file.path, reason: (error as Error).message });
    }
  }
  return result;
}

/** A relative path that stays inside (no .., not absolute). */
function safeRelative(path: string): boolean {
  return !isAbsolute(path) && !path.split(/[\\/]/).includes('..');
}

function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

const ignored = new Set<string>();

/**
 * Keeps .unified-ws/ out of commits and out of `git status`, without touching .gitignore: a line
 * in the repository's info/exclude (wherever git keeps it: worktrees, submodules, subdirectories).
 */
export function ignoreInGit(root: string): void {
  if (ignored.has(root)) return;
  // One git call: where info/exclude is, and where root is in the work tree ("" at the top).
  const [path, prefix = ''] = git(
    root,
    ['rev-parse', '--git-path', 'info/exclude', '--show-prefix'],
    true,
  )
    .stdout.split('\n')
    .map((line) => line.trim());
  if (!path) return;
  const exclude = isAbsolute(path) ? path : join(root, path);
  const line = `/${prefix}${DIR}/`;
  const current = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  if (!current.split('\n').includes(line)) {
    mkdirSync(dirname(exclude), { recursive: true });
    appendFileSync(exclude, `${current === '' || current.endsWith('\n') ? '' : '\n'}${line}\n`);
  }
  ignored.add(root);
}

/**
 * Deletes the temporary files a killed run may have left beside the files of its step (a kill
 * between writing a temporary file and renaming it over the original). The originals are whole:
 * each is the old text or the new one.
 */
export function removeStrayTemporaries(root: string, files: readonly string[]): string[] {
  const removed: string[] = [];
  const byDirectory = new Map<string, Set<string>>();
  for (const file of files) {
    const names = byDirectory.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byDirectory.set(dirname(file), names);
  }
  for (const [directory, names] of byDirectory) {
    const full = join(root, directory);
    let entries: string[];
    try {
      entries = readdirSync(full);
    } catch {
      continue; // gone, or not a directory any more
    }
    for (const entry of entries) {
      const match = /^(.*)\.unified-ws-\d+-[0-9a-f]+\.tmp$/.exec(entry);
      if (match && names.has(match[1] as string)) {
        rmSync(join(full, entry), { force: true });
        removed.push(join(directory, entry));
      }
    }
  }
  return removed;
}
