import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject, useCleanup } from '../helpers';

// revert on a repository where steps were already reverted: `revert --last` takes the newest step
// that is not (a step whose commit a later `Revert "…"` commit names in git's "This reverts
// commit <sha>" line is reverted, unless that revert was reverted in turn), and --json answers in
// JSON whatever happens.

const MANIFEST = join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json');

const FILES: Record<string, string> = {
  'src/fs.ts': "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
  'src/path.ts': "import { join } from 'path';\nexport const j = join;\n",
  'src/os.ts': "import { EOL } from 'os';\nexport const e = EOL;\n",
};

describe('revert of steps already reverted', () => {
  const defer = useCleanup();

  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

  /** A repository migrated in three steps: NODE001 (fs), NODE003 (path), NODE004 (os). */
  async function migrated(): Promise<string> {
    const dir = tempProject(defer, FILES, 'uws-revert-');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'Tess Ter');
    git(dir, 'config', 'user.email', 'tess@example.com');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    const run = await runCli(['migrate', dir, '--all', '--manifest', MANIFEST]);
    expect(run.code).toBe(0);
    expect(git(dir, 'log', '--format=%(trailers:key=Unified-Ws-Step,valueonly)', '-3')).toBe(
      'NODE004\n\nNODE003\n\nNODE001',
    );
    return dir;
  }
  const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

  it('--last takes the newest step not yet reverted, then says there is nothing left (exit 2)', async () => {
    const dir = await migrated();
    expect((await runCli(['revert', 'NODE004', dir])).code).toBe(0);
    const second = await runCli(['revert', '--last', dir]);
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toMatch(/^reverted step NODE003 \([0-9a-f]{10}\)\n$/);
    expect(read(dir, 'src/path.ts')).toBe(FILES['src/path.ts']);
    const third = await runCli(['revert', '--last', dir]);
    expect(third.stdout).toMatch(/^reverted step NODE001 /);
    expect(read(dir, 'src/fs.ts')).toBe(FILES['src/fs.ts']);
    const head = git(dir, 'rev-parse', 'HEAD');
    const none = await runCli(['revert', '--last', dir]);
    expect([none.code, none.stdout, none.stderr]).toEqual([
      2,
      '',
      'nothing to revert: every step is reverted\n',
    ]);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('revert <id> of a reverted step says so and changes nothing (exit 2)', async () => {
    const dir = await migrated();
    expect((await runCli(['revert', 'NODE003', dir])).code).toBe(0);
    const reverter = git(dir, 'rev-parse', 'HEAD');
    const again = await runCli(['revert', 'NODE003', dir]);
    expect([again.code, again.stdout]).toEqual([2, '']);
    expect(again.stderr).toBe(
      `step NODE003 is already reverted (by ${reverter.slice(0, 10)}): nothing to revert\n`,
    );
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(reverter);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a revert that is reverted in turn makes the step live again; a step run again is revertible again', async () => {
    const dir = await migrated();
    expect((await runCli(['revert', 'NODE004', dir])).code).toBe(0);
    git(dir, 'revert', '--no-edit', 'HEAD'); // the step is back
    expect(read(dir, 'src/os.ts')).toContain("'node:os'");
    const last = await runCli(['revert', '--last', dir]);
    expect(last.stdout).toMatch(/^reverted step NODE004 /);
    expect(read(dir, 'src/os.ts')).toBe(FILES['src/os.ts']);

    // Migrated again after its revert: the new commit of the step is the one to revert.
    expect((await runCli(['migrate', dir, '--step', 'NODE004', '--manifest', MANIFEST])).code).toBe(
      0,
    );
    const rerun = git(dir, 'rev-parse', 'HEAD');
    const again = await runCli(['revert', 'NODE004', dir, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ reverted: 'NODE004', commit: rerun });
  });

  it('a revert git finds empty (the change was undone by hand) says so, without git status output', async () => {
    const dir = await migrated();
    writeFileSync(join(dir, 'src/os.ts'), FILES['src/os.ts'] as string);
    git(dir, 'commit', '-qam', 'undo node:os by hand');
    const head = git(dir, 'rev-parse', 'HEAD');
    const result = await runCli(['revert', 'NODE004', dir]);
    expect([result.code, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe(
      'step NODE004 is already undone in the files (its revert would change nothing): nothing was changed\n',
    );
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  describe('--json prints JSON in every case', () => {
    it.each<[string, (dir: string) => Promise<string[]>, number, Record<string, unknown>]>([
      [
        'a revert',
        async (dir) => ['revert', '--last', dir, '--json'],
        0,
        { reverted: 'NODE004', commit: expect.stringMatching(/^[0-9a-f]{40}$/) },
      ],
      [
        'nothing left to revert',
        async (dir) => {
          for (let i = 0; i < 3; i++)
            expect((await runCli(['revert', '--last', dir])).code).toBe(0);
          return ['revert', '--last', dir, '--json'];
        },
        2,
        {
          error: {
            reason: 'nothing-to-revert',
            message: 'nothing to revert: every step is reverted',
          },
        },
      ],
      [
        'a step already reverted',
        async (dir) => {
          expect((await runCli(['revert', 'NODE001', dir])).code).toBe(0);
          return ['revert', 'NODE001', dir, '--json'];
        },
        2,
        {
          error: {
            reason: 'already-reverted',
            step: 'NODE001',
            commit: expect.stringMatching(/^[0-9a-f]{40}$/),
            revertedBy: expect.stringMatching(/^[0-9a-f]{40}$/),
            message: expect.stringContaining('step NODE001 is already reverted'),
          },
        },
      ],
      [
        'an unknown step',
        async (dir) => ['revert', 'NODE999', dir, '--json'],
        2,
        {
          error: {
            reason: 'unknown-step',
            message: 'no migration commit for step "NODE999"',
          },
        },
      ],
      [
        'a conflict with later changes',
        async (dir) => {
          writeFileSync(
            join(dir, 'src/fs.ts'),
            "import { readFileSync } from 'node:fs'; // mine\n",
          );
          git(dir, 'commit', '-qam', 'edit the migrated line');
          return ['revert', 'NODE001', dir, '--json'];
        },
        1,
        {
          error: {
            reason: 'conflict',
            step: 'NODE001',
            commit: expect.stringMatching(/^[0-9a-f]{40}$/),
            conflicts: ['src/fs.ts'],
            message: expect.stringContaining('conflicts with later changes in src/fs.ts'),
          },
        },
      ],
      [
        'uncommitted changes',
        async (dir) => {
          writeFileSync(join(dir, 'src/os.ts'), 'changed\n');
          return ['revert', '--last', dir, '--json'];
        },
        2,
        {
          error: {
            reason: 'uncommitted-changes',
            files: ['src/os.ts'],
            message: expect.stringContaining('uncommitted changes (src/os.ts)'),
          },
        },
      ],
      [
        'not a directory',
        async (dir) => ['revert', '--last', join(dir, 'nowhere'), '--json'],
        2,
        { error: { reason: 'usage', message: expect.stringContaining('is not a directory') } },
      ],
      [
        'an unknown flag',
        async (dir) => ['revert', '--lats', dir, '--json'],
        2,
        { error: { reason: 'usage', message: expect.stringContaining('did you mean --last?') } },
      ],
    ])('%s', async (_name, setup, code, json) => {
      const dir = await migrated();
      const argv = await setup(dir);
      const result = await runCli(argv);
      expect([result.code, result.stderr]).toEqual([code, '']);
      expect(JSON.parse(result.stdout)).toEqual(
        code === 0 ? { ...json, revertCommit: git(dir, 'rev-parse', 'HEAD') } : json,
      );
    });
  });
});
