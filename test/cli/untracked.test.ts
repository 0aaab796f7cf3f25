import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  describe('migrate --include-untracked, then revert', () => {
    /** Migrated with --include-untracked: NODE001 (lib/read.ts + the untracked file), NODE003. */
    async function migratedWithUntracked(): Promise<{ dir: string; record: string; mode: number }> {
      const dir = repository();
      chmodSync(join(dir, 'lib/untracked-demo.ts'), 0o640);
      const mode = statSync(join(dir, 'lib/untracked-demo.ts')).mode;
      const result = await run('migrate', dir, '--all', '--include-untracked');
      expect(result.code).toBe(0);
      const record = /\.unified-ws\/untracked\/NODE001-[0-9a-f]{12}\.json/.exec(result.stderr)?.[0];
      expect(record).toBeDefined();
      expect(result.stderr).toBe(
        `NODE001: 1 untracked file rewritten, not committed: lib/untracked-demo.ts; its bytes from before are kept in ${record}, and \`unified-ws revert NODE001\` restores them\n`,
      );
      expect(result.stdout).toMatch(
        /^NODE001: 1 file committed, 1 untracked file rewritten \([0-9a-f]{10}\)\nNODE003: committed, 1 file changed \([0-9a-f]{10}\)\n$/,
      );
      expect(read(dir, 'lib/untracked-demo.ts')).toContain("from 'node:fs'");
      return { dir, record: record as string, mode };
    }
    const nodeOne = (dir: string) =>
      git(dir, 'log', '--format=%H', '--grep=^Unified-Ws-Step: NODE001$');

    it("records the untracked file in the step's commit message, and revert restores it byte for byte", async () => {
      const { dir, record, mode } = await migratedWithUntracked();
      const message = git(dir, 'log', '-1', '--format=%B', nodeOne(dir));
      expect(message).toContain(
        `Also rewrote 1 untracked file, which is not in this commit: lib/untracked-demo.ts (its bytes from before are kept in ${record}; unified-ws revert restores them).\n\nUnified-Ws-Step: NODE001\nUnified-Ws-Untracked: ${record}`,
      );
      expect(git(dir, 'show', '--name-only', '--format=', nodeOne(dir))).toBe('lib/read.ts');

      expect((await runCli(['revert', '--last', dir])).stdout).toMatch(/^reverted step NODE003 /);
      const result = await runCli(['revert', '--last', dir]);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toMatch(
        /^reverted step NODE001 \([0-9a-f]{10}\); restored 1 untracked file: lib\/untracked-demo\.ts\n$/,
      );
      expect(read(dir, 'lib/untracked-demo.ts')).toBe(UNTRACKED['lib/untracked-demo.ts']);
      expect(statSync(join(dir, 'lib/untracked-demo.ts')).mode).toBe(mode);
      expect(read(dir, 'lib/read.ts')).toBe(TRACKED['lib/read.ts']);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe(
        '?? lib/untracked-demo.ts\n?? notes/scratch.ts',
      );
    });

    it('--json names the untracked files restored', async () => {
      const { dir, record } = await migratedWithUntracked();
      const result = await runCli(['revert', 'NODE001', dir, '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        reverted: 'NODE001',
        commit: nodeOne(dir),
        revertCommit: git(dir, 'rev-parse', 'HEAD'),
        untracked: { record, restored: ['lib/untracked-demo.ts'], unchanged: [], gone: [] },
      });
    });

    it('refuses, changing nothing, when the untracked file changed since, and says what to do', async () => {
      const { dir, record } = await migratedWithUntracked();
      writeFileSync(join(dir, 'lib/untracked-demo.ts'), 'edited since\n');
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await runCli(['revert', 'NODE001', dir]);
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toBe(
        `lib/untracked-demo.ts changed since step NODE001 rewrote it (it is untracked, so not in the step's commit), and reverting would lose that change: nothing was changed. Delete the file or undo the change, then revert again; or \`git revert ${nodeOne(dir).slice(0, 10)}\` reverts the committed files alone (the bytes from before the step are in ${record})\n`,
      );
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(read(dir, 'lib/untracked-demo.ts')).toBe('edited since\n');
    });

    it('reverts a step whose untracked file was deleted since, leaving it deleted', async () => {
      const { dir } = await migratedWithUntracked();
      rmSync(join(dir, 'lib/untracked-demo.ts'));
      const result = await runCli(['revert', 'NODE001', dir]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^reverted step NODE001 \([0-9a-f]{10}\); 1 untracked file it rewrote is gone, left as it is: lib\/untracked-demo\.ts\n$/,
      );
      expect(existsSync(join(dir, 'lib/untracked-demo.ts'))).toBe(false);
    });

    it('refuses, changing nothing, when the record of the untracked files is gone, naming the way out', async () => {
      const { dir, record } = await migratedWithUntracked();
      rmSync(join(dir, '.unified-ws'), { recursive: true });
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await runCli(['revert', 'NODE001', dir]);
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toBe(
        `step NODE001 also rewrote untracked files (its commit message names them), whose bytes from before were kept in ${record}, which is missing: revert cannot restore them, so nothing was changed; \`git revert ${nodeOne(dir).slice(0, 10)}\` reverts the committed files alone\n`,
      );
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    });

    it('works when migrate ran in a subdirectory and revert runs from the top of the work tree', async () => {
      const dir = repository();
      const sub = join(dir, 'lib');
      const result = await run('migrate', sub, '--step', 'NODE001', '--include-untracked');
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /kept in lib\/\.unified-ws\/untracked\/NODE001-[0-9a-f]{12}\.json,/,
      );
      const reverted = await runCli(['revert', '--last', dir]);
      expect(reverted.stdout).toMatch(/; restored 1 untracked file: untracked-demo\.ts\n$/);
      expect(read(dir, 'lib/untracked-demo.ts')).toBe(UNTRACKED['lib/untracked-demo.ts']);
    });

    it('a step rolled back (failed verify) leaves no record behind', async () => {
      const dir = repository();
      const result = await run(
        'migrate',
        dir,
        '--step',
        'NODE001',
        '--include-untracked',
        '--verify',
        'node -e "process.exit(1)"',
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('NODE001: rolled back: 2 files restored\n');
      expect(read(dir, 'lib/untracked-demo.ts')).toBe(UNTRACKED['lib/untracked-demo.ts']);
      const records = join(dir, '.unified-ws', 'untracked');
      expect(existsSync(records) ? readdirSync(records) : []).toEqual([]);
    });
  });
});
