import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  pattern: RegExp;
  owners: string[];
}

/** A CODEOWNERS pattern (gitignore-like) as a regular expression over repository paths. */
function toRegExp(pattern: string): RegExp {
  const anchored = pattern.startsWith('/');
  const body = pattern.replace(/^\//, '').replace(/\/$/, '/**');
  const source = body
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  const directory = !body.includes('.') && !body.endsWith('*') ? '(?:/.*)?' : '';
  return new RegExp(`${anchored || body.includes('/') ? '^' : '(?:^|/)'}${source}${directory}$`);
}

/** The owners of files by the repository's CODEOWNERS (root, .github/ or docs/); last match wins. */
export class CodeOwners {
  private constructor(private readonly rules: Rule[]) {}

  static load(root: string): CodeOwners | undefined {
    for (const candidate of ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS']) {
      const path = join(root, candidate);
      if (!existsSync(path)) continue;
      const rules = readFileSync(path, 'utf8')
        .split('\n')
        .map((line) => line.replace(/#.*$/, '').trim())
        .filter(Boolean)
        .map((line) => {
          const [pattern = '', ...owners] = line.split(/\s+/);
          return { pattern: toRegExp(pattern), owners };
        });
      return new CodeOwners(rules);
    }
    return undefined;
  }

  ownersOf(path: string): string[] {
    const normalized = path.split('\\').join('/');
    let owners: string[] = [];
    for (const rule of this.rules) if (rule.pattern.test(normalized)) owners = rule.owners;
    return owners;
  }
}
