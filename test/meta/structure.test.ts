import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The boundaries the code keeps, checked on its imports: library code never reaches into the CLI
// (only the CLI maps errors to exit codes), commands never import one another, and the Redis
// adapter shares the user-stream module rather than importing its sibling adapter.

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The repository-relative files a file imports or requires (relative specifiers only). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()'(\.{1,2}\/[^']+)'/g)].map(
    (m) => m[1] as string,
  );
  return specifiers.map((s) => relative(ROOT, resolve(dirname(file), s)).replace(/\\/g, '/'));
}

const files = sourceFiles(SRC).map((file) => ({
  file: relative(ROOT, file).replace(/\\/g, '/'),
  imports: importsOf(file),
}));

describe('module boundaries', () => {
  it('library code never imports the CLI', () => {
    const offenders = files
      .filter(({ file }) => !file.startsWith('src/cli/'))
      .flatMap(({ file, imports }) =>
        imports.filter((i) => i.startsWith('src/cli/')).map((i) => `${file} → ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no command imports another command, nor the CLI entry', () => {
    const main = readFileSync(join(SRC, 'cli', 'main.ts'), 'utf8');
    const commands = [...main.matchAll(/require\('\.\/([\w-]+)'\)/g)].map((m) => `src/cli/${m[1]}`);
    expect(commands.length).toBeGreaterThanOrEqual(8);
    const offenders = files
      .filter(({ file }) => commands.includes(file.replace(/\.ts$/, '')))
      .flatMap(({ file, imports }) =>
        imports
          .filter((i) => commands.includes(i) || i === 'src/cli/main' || i === 'src/cli/index')
          .map((i) => `${file} → ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the Redis adapter does not import the memory adapter', () => {
    expect(files.find((f) => f.file === 'src/scale/redis-adapter.ts')?.imports).not.toContain(
      'src/scale/memory-adapter',
    );
  });
});
