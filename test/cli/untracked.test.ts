import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject, useCleanup } from '../helpers';

// Untracked files, as a new user met them moving a repository's Node builtins to node:. Without
// --include-untracked, migrate never touches an untracked file, so one must not stop it; check
// counts what migrate would move (the files git tracks) unless told to include untracked ones.

const MANIFEST = join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json');

const TRACKED: Record<string, string> = {
  'lib/read.ts': "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
  'lib/join.ts': "import { join } from 'path';\nexport const j = join;\n",
};
const UNTRACKED: Record<string, string> = {
  'lib/untracked-demo.ts': "import { existsSync } from 'fs';\nexport const e = existsSync;\n",
  'notes/scratch.ts': 'export const idea = 42;\n',
};

describe('untracked files', () => {
  const defer = useCleanup();

  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trimEnd();

  function repository(): string {
    const dir = tempProject(defer, TRACKED, 'uws-untracked-');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'Tess Ter');
    git(dir, 'config', 'user.email', 'tess@example.com');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    for (const [path, text] of Object.entries(UNTRACKED)) {
      execFileSync('mkdir', ['-p', join(dir, path, '..')]);
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }
  const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
  const run = (...argv: string[]) => runCli([...argv, '--manifest', MANIFEST]);

  describe('migrate without --include-untracked', () => {
    it('is not stopped by untracked files it will not touch, and names the legacy ones it leaves', async () => {
      const dir = repository();
      const result = await run('migrate', dir, '--all');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        'note: 1 untracked file uses legacy modules and is left as it is (--include-untracked rewrites it too): lib/untracked-demo.ts\n',
      );
      expect(read(dir, 'lib/read.ts')).toContain("from 'node:fs'");
      expect(read(dir, 'lib/untracked-demo.ts')).toBe(UNTRACKED['lib/untracked-demo.ts']);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe(
        '?? lib/untracked-demo.ts\n?? notes/scratch.ts',
      );
    });

    it('still refuses a modified tracked file, naming only it', async () => {
      const dir = repository();
      writeFileSync(join(dir, 'lib/join.ts'), `${TRACKED['lib/join.ts']}// mine\n`);
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await run('migrate', dir, '--all');
      expect([result.code, result.stderr]).toEqual([
        2,
        expect.stringContaining(
          'the working tree has uncommitted changes (lib/join.ts): commit or stash them',
        ),
      ]);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(read(dir, 'lib/read.ts')).toBe(TRACKED['lib/read.ts']);
    });
  });

  describe('check', () => {
    it('counts the files git tracks, as migrate does: it passes right after a migrate', async () => {
      const dir = repository();
      const plan = JSON.parse((await run('migrate', dir, '--plan', '--json')).stdout) as {
        steps: { files: string[] }[];
      };
      const before = JSON.parse((await run('check', dir, '--json')).stdout) as {
        failing: { file: string }[];
      };
      expect(before.failing.map((use) => use.file).sort()).toEqual(
        plan.steps.flatMap((step) => step.files).sort(),
      );
      expect((await run('migrate', dir, '--all')).code).toBe(0);
      const after = await run('check', dir);
      expect([after.code, after.stdout]).toEqual([0, 'ok: 0 legacy uses in 2 files\n']);
    });

    it('--include-untracked adds the untracked files git does not ignore, like migrate --include-untracked', async () => {
      const dir = repository();
      writeFileSync(join(dir, '.gitignore'), 'ignored/\n');
      execFileSync('mkdir', ['-p', join(dir, 'ignored')]);
      writeFileSync(join(dir, 'ignored/x.ts'), TRACKED['lib/read.ts'] as string);
      expect((await run('migrate', dir, '--all')).code).toBe(0);
      const result = await run('check', dir, '--include-untracked');
      expect([result.code, result.stdout]).toEqual([
        1,
        'lib/untracked-demo.ts:1: NODE001 fs\n1 legacy use in 4 files\n',
      ]);
      const plan = await run('migrate', dir, '--plan', '--include-untracked');
      expect(plan.stdout).toBe(
        'NODE001: 1 file, 0 markers\n  lib/untracked-demo.ts\n1 step, 1 file, 0 markers\n',
      );
    });
  });
});
