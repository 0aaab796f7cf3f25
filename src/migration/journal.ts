import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JournalError } from '../errors/journal-error';

/** The step in progress: written before a step touches a file, removed once it is committed. */
export interface JournalStep {
  id: string;
  codes: string[];
  files: string[];
  state: 'applying' | 'verifying';
  startedAt: string;
}

export interface Journal {
  version: 1;
  step: JournalStep;
}

const DIR = '.unified-ws';
const FILE = 'journal.json';

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
      journal.version !== 1 ||
      typeof journal.step?.id !== 'string' ||
      !Array.isArray(journal.step.files)
    )
      throw new Error('unknown format');
    return journal;
  } catch (error) {
    throw new JournalError(
      path,
      `${path} is corrupt (${(error as Error).message}): check \`git status\`, restore the files you do not want with \`git checkout -- <files>\`, then delete the journal`,
      error,
    );
  }
}

/** Writes the journal atomically (temp file, then rename), so a kill leaves the old or the new one. */
export function writeJournal(root: string, journal: Journal): void {
  const dir = join(root, DIR);
  mkdirSync(dir, { recursive: true });
  ignoreInGit(root);
  const temporary = join(dir, `${FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(temporary, journalPath(root));
}

export function clearJournal(root: string): void {
  rmSync(journalPath(root), { force: true });
}

/** Keeps .unified-ws/ out of commits and out of `git status`, without touching .gitignore. */
function ignoreInGit(root: string): void {
  const exclude = join(root, '.git', 'info', 'exclude');
  if (!existsSync(join(root, '.git'))) return;
  const current = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  if (current.split('\n').includes(`/${DIR}/`)) return;
  mkdirSync(join(root, '.git', 'info'), { recursive: true });
  appendFileSync(exclude, `${current === '' || current.endsWith('\n') ? '' : '\n'}/${DIR}/\n`);
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
    if (!existsSync(full)) continue;
    for (const entry of readdirSync(full)) {
      const match = /^(.*)\.unified-ws-\d+-[0-9a-f]+\.tmp$/.exec(entry);
      if (match && names.has(match[1] as string)) {
        rmSync(join(full, entry), { force: true });
        removed.push(join(directory, entry));
      }
    }
  }
  return removed;
}
