import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli, tempProject, useCleanup } from '../helpers';

// A repeated `--manifest` used to keep the last one silently (`check --manifest fs.json
// --manifest path.json` reported path only). Every command that takes it refuses a second one.

const manifest = (code: string, pkg: string) =>
  JSON.stringify({
    package: pkg,
    canonical: `node:${pkg}`,
    entries: [
      {
        code,
        summary: `${pkg} without node:`,
        since: '1.0.0',
        removeIn: '2.0.0',
        exports: [{ name: '*', rewrite: 'same-object' }],
      },
    ],
  });

describe('a repeated --manifest', () => {
  const defer = useCleanup();

  function repository(): string {
    const dir = tempProject(
      defer,
      {
        'fs.json': manifest('NODE001', 'fs'),
        'path.json': manifest('NODE003', 'path'),
        'src/a.ts': "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
        'src/b.ts': "import { join } from 'path';\nexport const j = join;\n",
      },
      'uws-manifests-',
    );
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Tess Ter');
    git('config', 'user.email', 'tess@example.com');
    git('add', '-A');
    git('commit', '-qm', 'initial');
    return dir;
  }

  it.each([
    ['check', (dir: string) => ['check', dir]],
    ['check --identity', (dir: string) => ['check', dir, '--identity']],
    ['migrate', (dir: string) => ['migrate', dir, '--all']],
    ['migrate --plan', (dir: string) => ['migrate', dir, '--plan']],
    ['shim', (dir: string) => ['shim', dir, '--all']],
    ['audit', (dir: string) => ['audit', dir]],
    ['report', (dir: string) => ['report', join(dir, 'telemetry.jsonl')]],
  ])('%s refuses it with exit 2 and one line, changing nothing', async (_name, argv) => {
    const dir = repository();
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' });
    const fs = join(dir, 'fs.json');
    const path = join(dir, 'path.json');
    const result = await runCli([...argv(dir), '--manifest', fs, `--manifest=${path}`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `--manifest given 2 times (${fs}, ${path}): ${argv(dir)[0]} reads one manifest; put the entries of all of them in one file`,
    ]);
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' })).toBe(head);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
  });

  it('any other flag with a value given twice is refused the same way; a boolean twice is not', async () => {
    const dir = repository();
    const result = await runCli(['migrate', dir, '--all', '--verify', 'true', '--verify', 'false']);
    expect([result.code, result.stderr]).toEqual([
      2,
      '--verify given 2 times (true, false): migrate takes one --verify\n',
    ]);
    expect((await runCli(['migrate', dir, '--plan', '--json', '--json'])).code).toBe(0);
  });

  it('a single --manifest still works', async () => {
    const dir = repository();
    const result = await runCli(['check', dir, '--manifest', join(dir, 'fs.json')]);
    expect([result.code, result.stdout]).toEqual([
      1,
      'src/a.ts:1: NODE001 fs\n1 legacy use in 2 files\n',
    ]);
  });
});
