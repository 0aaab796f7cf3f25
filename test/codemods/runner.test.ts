import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCodemod as runInProcess } from '../../src/migration/runner';
import { useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'codemods', '__testfixtures__', 'legacy-to-canonical');
// The built runner forks built workers; the source one (under ts-jest) runs in process.
const { runCodemod: runWithWorkers } = require(
  join(ROOT, 'dist', 'src', 'migration', 'runner.js'),
) as typeof import('../../src/migration/runner');

describe('the codemod runner', () => {
  const defer = useCleanup();

  /** A tree of every fixture input (many copies), plus files the prefilter must skip. */
  function tree(copies: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-runner-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    for (let i = 0; i < copies; i++) {
      for (const file of readdirSync(FIXTURES).filter((f) => f.includes('.input.')))
        cpSync(join(FIXTURES, file), join(dir, `copy${i}`, file.replace('.input.', '.')));
    }
    writeFileSync(join(dir, 'plain.ts'), 'export const x = 1;\n');
    writeFileSync(
      join(dir, 'broken.ts'),
      "import { WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\nconst = ;\n",
    );
    cpSync(join(FIXTURES, 'named-import.input.ts'), join(dir, 'node_modules', 'dep', 'index.ts'));
    return dir;
  }

  const expected = (file: string) =>
    readFileSync(
      join(FIXTURES, file.replace(/^copy\d+\//, '').replace(/\.(tsx?|js)$/, '.output.$1')),
      'utf8',
    );

  it.each([
    ['in process', runInProcess, 1],
    ['in worker processes', runWithWorkers, 2],
  ])('rewrites a tree %s, with a result and reason per candidate', async (_name, run, workers) => {
    const dir = tree(3);
    const report = await run({ root: dir, workers, batchSize: 8 });
    const inputs = readdirSync(FIXTURES).filter((f) => f.includes('.input.')).length;
    expect(report.scanned).toBe(3 * inputs + 2);
    expect(report.candidates).toBe(3 * inputs + 1);
    expect(report.counts['parse-error']).toBe(1);
    expect(report.files.find((f) => f.path === 'broken.ts')).toMatchObject({
      status: 'parse-error',
      error: { line: 2 },
    });
    for (const file of report.files.filter((f) => f.path.startsWith('copy'))) {
      expect([file.path, readFileSync(join(dir, file.path), 'utf8')]).toEqual([
        file.path,
        expected(file.path),
      ]);
    }
    expect(readFileSync(join(dir, 'node_modules', 'dep', 'index.ts'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'named-import.input.ts'), 'utf8'),
    );
    expect(readdirSync(join(dir, 'copy0')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = await run({ root: dir, workers });
    expect(again.counts.changed).toBe(0); // idempotent over the tree
  });

  it('dry-runs without writing, returning the new text', async () => {
    const dir = tree(1);
    const before = readFileSync(join(dir, 'copy0', 'named-import.ts'), 'utf8');
    const report = await runInProcess({ root: dir, dryRun: true });
    expect(readFileSync(join(dir, 'copy0', 'named-import.ts'), 'utf8')).toBe(before);
    expect(report.files.find((f) => f.path === join('copy0', 'named-import.ts'))?.output).toBe(
      expected('copy0/named-import.ts'),
    );
  });

  it('reverses a migrated tree where the reverse is defined', async () => {
    const dir = tree(1);
    const original = readFileSync(join(dir, 'copy0', 'rename-with-references.ts'), 'utf8');
    await runInProcess({ root: dir });
    await runInProcess({ root: dir, direction: 'canonical-to-legacy' });
    expect(readFileSync(join(dir, 'copy0', 'rename-with-references.ts'), 'utf8')).toBe(original);
  });
});
