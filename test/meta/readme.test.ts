import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s/g, '-');

describe.each([
  'README.md',
  'bench/README.md',
  'docs/migration-guide.md',
  'docs/scaling.md',
  'docs/manifest.md',
  'docs/shim.md',
  'docs/client.md',
])('%s', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const headings = new Set(
    [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] as string)),
  );

  it('links only to files that exist and to headings that exist', () => {
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] as string)
      .filter((link) => !/^[a-z]+:/.test(link))
      .filter((link) => {
        const [path, hash] = link.split('#');
        if (!path) return !headings.has(hash ?? '');
        return !existsSync(join(ROOT, dirname(file), path));
      });
    expect(broken).toEqual([]);
  });
});

describe('README.md', () => {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('says what it is, then gives the two commands before anything else', () => {
    const firstSection = text.indexOf('\n## ');
    expect(text.slice(0, firstSection)).toMatch(/WebSocket layer for AI-agent chat/);
    const quick = text.slice(firstSection, text.indexOf('\n## ', firstSection + 1));
    expect(quick).toContain('## Quick start');
    expect(quick).toContain('npm ci && npm start');
    expect(quick).toContain('npm test');
  });

  it('names every runtime dependency of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const development = text.slice(text.indexOf('## Development'));
    expect(
      Object.keys(pkg.dependencies).filter((name) => !development.includes(`\`${name}\``)),
    ).toEqual([]);
  });
});
