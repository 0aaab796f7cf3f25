/**
 * The repositories a command spans (audit, campaign): the paths given, plus those listed in a
 * file, one per line (# starts a comment; relative paths are relative to the file). The working
 * directory when there are none; a path that is not a directory is a usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT, ExitError } from './exit-error';

export function repositories(positionals: string[], list: string | undefined): string[] {
  const paths = [...positionals];
  if (list !== undefined) {
    const file = resolve(list);
    if (!existsSync(file)) throw new ExitError(EXIT.USAGE, `${list}: no such file`);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const path = line.replace(/#.*$/, '').trim();
      if (path) paths.push(resolve(dirname(file), path));
    }
  }
  if (paths.length === 0) paths.push('.');
  return paths.map((path) => {
    const dir = resolve(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new ExitError(EXIT.USAGE, `${path} is not a directory`);
    return dir;
  });
}
