import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCodemod } from '../../src/migration/runner';
import { tempProject, useCleanup } from '../helpers';

// A path-only move lengthens a line: 'fs' → 'node:fs' takes a 79-character import past printWidth
// 80. In a project with a prettier config, a rewritten import or export list that no longer fits
// is laid out as prettier lays it out, so prettier --check fails on no file it passed before.

const PRETTIER = join(__dirname, '..', '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
const EXAMPLE = join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json');
const lines = (...text: string[]) => `${text.join('\n')}\n`;

const FILES: Record<string, string> = {
  // 79 characters: 84 from 'node:fs'.
  'src/imports.ts': lines(
    "import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';",
    "import { join } from 'path';",
    '',
    'export const all = [existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, join];',
  ),
  'src/exports.ts': lines(
    "export { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';",
  ),
  'src/commented.ts': lines(
    "import { existsSync /* sync */, mkdirSync, rmSync, writeFileSync } from 'fs'; // io",
    '',
    'export const all = [existsSync, mkdirSync, rmSync, writeFileSync];',
  ),
  // Short enough after the move: left on one line.
  'src/fits.ts': lines(
    "import { existsSync, mkdirSync } from 'fs';",
    '',
    'export const all = [existsSync, mkdirSync];',
  ),
  // One name: prettier keeps it on one line however long.
  'src/lone.ts': lines(
    "import { aVeryLongNameThatFillsTheLineAlmostAllTheWayToTheEdgeOfIt } from 'fs';",
    '',
    'export const all = [aVeryLongNameThatFillsTheLineAlmostAllTheWayToTheEdgeOfIt];',
  ),
};

function prettierCheck(root: string): string[] {
  const result = spawnSync(process.execPath, [PRETTIER, '--list-different', 'src'], {
    cwd: root,
    encoding: 'utf8',
  });
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('a path-only move past printWidth', () => {
  const defer = useCleanup();

  it.each([
    [{ singleQuote: true }, '  ', ','],
    [{ singleQuote: true, useTabs: true, trailingComma: 'none' }, '\t', ''],
    [{ singleQuote: true, tabWidth: 4, printWidth: 82, trailingComma: 'es5' }, '    ', ','],
  ])('is laid out as prettier does with %j', async (config, step, comma) => {
    const root = tempProject(defer, {
      ...FILES,
      '.prettierrc.json': JSON.stringify(config),
      'manifest.json': readFileSync(EXAMPLE, 'utf8'),
    });
    spawnSync(process.execPath, [PRETTIER, '--write', 'src'], { cwd: root });
    const before = Object.fromEntries(
      Object.keys(FILES).map((path) => [path, readFileSync(join(root, path), 'utf8')]),
    );
    // As prettier wrote them: the import lists on one line, as the test expects.
    for (const path of Object.keys(FILES))
      expect(before[path]!.split('\n')[0]).toBe(FILES[path]!.split('\n')[0]);
    expect(prettierCheck(root)).toEqual([]);

    const report = await runCodemod({ root, workers: 1, manifest: join(root, 'manifest.json') });
    expect(report.counts.changed).toBe(5);
    expect(prettierCheck(root)).toEqual([]);

    const read = (path: string) => readFileSync(join(root, path), 'utf8');
    const broken = (names: string[]) =>
      `{\n${names.map((n) => `${step}${n}`).join(',\n')}${comma}\n}`;
    expect(read('src/imports.ts')).toBe(
      before['src/imports.ts']!.replace(
        "{ existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs'",
        `${broken(['existsSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'writeFileSync'])} from 'node:fs'`,
      ).replace("'path'", "'node:path'"),
    );
    const fits = (config as { printWidth?: number }).printWidth === 82;
    expect(read('src/exports.ts')).toBe(
      `export ${broken(['existsSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'writeFileSync'])} from 'node:fs';\n`,
    );
    expect(read('src/commented.ts')).toContain(
      fits
        ? "import { existsSync /* sync */, mkdirSync, rmSync, writeFileSync } from 'node:fs'; // io\n"
        : `import ${broken(['existsSync /* sync */', 'mkdirSync', 'rmSync', 'writeFileSync'])} from 'node:fs'; // io\n`,
    );
    expect(read('src/fits.ts')).toBe(before['src/fits.ts']!.replace("'fs'", "'node:fs'"));
    expect(read('src/lone.ts')).toBe(before['src/lone.ts']!.replace("'fs'", "'node:fs'"));
  });
});
