import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitError, EXIT } from '../cli/exit-error';

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
    if (journal.version !== 1 || typeof journal.step?.id !== 'string' || !Array.isArray(journal.step.files)) throw new Error('unknown format');
    return journal;
  } catch (error) {
    throw new ExitError(EXIT.USAGE, `${path} is corrupt (${(error as Error).message}): check \`git status\`, restore the files you do not want with \`git checkout -- <files>\`, then delete the journal`);
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
