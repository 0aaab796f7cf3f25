import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, useCleanup } from '../helpers';

const BIN = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');

const cli = runCli;

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

const FILES: Record<string, string> = {
  'src/a.ts':
    "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\n\nexport const manager = () => getWebSocketManager();\n",
  'src/b.ts':
    "import { WebSocketManagerFactory } from 'unified-ws/websocket-core/websocket-manager-factory';\n\nexport const channel = WebSocketManagerFactory.createManager('alice');\n",
  'lib/c.ts':
    "import { UnifiedWebSocketManager as UWM } from 'unified-ws/websocket-core/unified-manager';\n\nexport let m: UWM | undefined;\n",
  'src/plain.ts': 'export const nothing = 1;\n',
};

describe('migration commands on real git repositories', () => {
  const defer = useCleanup();

  function repo(files: Record<string, string> = FILES, installed: string | null = '0.1.0'): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-repo-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    for (const [path, text] of Object.entries({ ...files, '.gitignore': 'node_modules/\n' })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    if (installed) {
      mkdirSync(join(dir, 'node_modules', 'unified-ws'), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', 'unified-ws', 'package.json'),
        JSON.stringify({ name: 'unified-ws', version: installed }),
      );
    }
    git(dir, 'init', '-q', '-b', 'main');
    // migrate and revert commit as the user: the repository has one.
    git(dir, 'config', 'user.name', 't');
    git(dir, 'config', 'user.email', 't@t');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    return dir;
  }
  const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
  const snapshot = (dir: string) =>
    Object.fromEntries(Object.keys(FILES).map((path) => [path, read(dir, path)]));

  describe('check', () => {
    it('lists each legacy use as file:line: CODE and exits 1; 0 when clean', async () => {
      const dir = repo();
      const result = await cli(['check', dir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'src/a.ts:1: UWS002 unified-ws/websocket-core/websocket-manager',
      );
      expect(result.stdout).toContain('lib/c.ts:1: UWS001');
      const clean = repo({ 'src/plain.ts': 'export const x = 1;\n' });
      expect((await cli(['check', clean])).code).toBe(0);
    });

    it('ratchets against a baseline: recorded uses pass, new ones fail', async () => {
      const dir = repo();
      const baseline = join(dir, 'legacy-baseline.json');
      expect((await cli(['check', dir, '--baseline', baseline, '--update-baseline'])).code).toBe(0);
      expect((await cli(['check', dir, '--baseline', baseline])).code).toBe(0);
      writeFileSync(
        join(dir, 'src/new.ts'),
        "import { websocketManager } from 'unified-ws/websocket-core/manager';\nexport const x = websocketManager;\n",
      );
      // check reads the files git tracks (as migrate does): a new file counts once it is added.
      expect((await cli(['check', dir, '--baseline', baseline])).code).toBe(0);
      git(dir, 'add', 'src/new.ts');
      const result = await cli(['check', dir, '--baseline', baseline]);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n').filter((l) => l.includes(': UWS'))).toEqual([
        'src/new.ts:1: UWS003 unified-ws/websocket-core/manager',
      ]);
    });

    it.each([
      [['check', '/no/such/dir'], 'is not a directory'],
      [['check', '--update-baseline'], '--update-baseline needs --baseline'],
    ])('refuses %j with exit 2', async (argv, text) => {
      const result = await cli(argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(text);
    });
  });

  describe('migrate', () => {
    it('--dry-run prints a unified diff and writes nothing', async () => {
      const dir = repo();
      const result = await cli(['migrate', dir, '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "-import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';",
      );
      expect(result.stdout).toContain("+import { getWebSocketManager } from 'unified-ws';");
      expect(snapshot(dir)).toEqual(FILES);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });

    it('--all commits each step separately, naming codes and counts, with a step trailer', async () => {
      const dir = repo();
      const result = await cli(['migrate', dir, '--all', '--verify', 'node -e "process.exit(0)"']);
      expect(result.code).toBe(0);
      const log = git(dir, 'log', '--format=%s%n%(trailers:key=Unified-Ws-Step,valueonly)', '-3')
        .split('\n')
        .filter(Boolean);
      expect(log).toEqual([
        'unified-ws: migrate UWS004 (1 file)',
        'UWS004',
        'unified-ws: migrate UWS002 (1 file)',
        'UWS002',
        'unified-ws: migrate UWS001 (1 file)',
        'UWS001',
      ]);
      expect(read(dir, 'src/b.ts')).toBe(
        "import { getWebSocketManager } from 'unified-ws';\n\nexport const channel = getWebSocketManager().forUser('alice');\n",
      );
      expect(git(dir, 'status', '--porcelain')).toBe('');
      expect((await cli(['check', dir])).code).toBe(0);
    });

    it('--step applies one step; --by dir plans by directory', async () => {
      const dir = repo();
      expect((await cli(['migrate', dir, '--step', 'UWS004'])).code).toBe(0);
      expect(read(dir, 'src/a.ts')).toBe(FILES['src/a.ts']);
      expect(read(dir, 'src/b.ts')).not.toBe(FILES['src/b.ts']);
      const byDir = await cli(['migrate', dir, '--all', '--by', 'dir', '--json']);
      expect(JSON.parse(byDir.stdout).steps.map((s: { id: string }) => s.id)).toEqual([
        'dir:lib',
        'dir:src',
      ]);
    });

    it('rolls a step back when --verify fails, and exits 1', async () => {
      const dir = repo();
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await cli(['migrate', dir, '--all', '--verify', 'node -e "process.exit(3)"']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('UWS001: rolled back: 1 file restored\n');
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'status', '--porcelain')).toBe('');
      expect(snapshot(dir)).toEqual(FILES);
    });

    it('--no-commit applies without committing', async () => {
      const dir = repo();
      expect((await cli(['migrate', dir, '--step', 'UWS002', '--no-commit'])).code).toBe(0);
      expect(git(dir, 'status', '--porcelain')).toBe('M src/a.ts');
    });

    it.each<[string, (dir: string) => string[], string]>([
      [
        'a dirty tree',
        (dir) => (writeFileSync(join(dir, 'src/plain.ts'), 'changed\n'), ['migrate', dir, '--all']),
        'uncommitted changes',
      ],
      ['an unknown step', (dir) => ['migrate', dir, '--step', 'UWS999'], 'unknown step "UWS999"'],
      ['a missing step choice', (dir) => ['migrate', dir], '--step ID or --all'],
      [
        'a malformed manifest',
        (dir) => (
          writeFileSync(join(dir, 'm.json'), '{"package": 1}'),
          ['migrate', dir, '--all', '--allow-dirty', '--manifest', join(dir, 'm.json')]
        ),
        'is not a valid manifest',
      ],
      [
        'a corrupt journal',
        (dir) => (
          mkdirSync(join(dir, '.unified-ws')),
          writeFileSync(join(dir, '.unified-ws', 'journal.json'), '{oops'),
          ['migrate', dir, '--all']
        ),
        'is corrupt',
      ],
    ])('refuses %s with exit 2, changing nothing', async (_name, setup, text) => {
      const dir = repo();
      const argv = setup(dir);
      const before = snapshot(dir);
      const result = await cli(argv);
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(text)]);
      expect(snapshot(dir)).toEqual(before);
    });

    it('refuses a directory that is not a git repository', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'uws-nogit-'));
      defer(() => rmSync(dir, { recursive: true, force: true }));
      const result = await cli(['migrate', dir, '--all']);
      expect([result.code, result.stderr]).toEqual([
        2,
        expect.stringContaining('is not a git repository'),
      ]);
    });

    it.each([
      ['too old', '0.0.9', 'install unified-ws@^0.1.0'],
      ['missing', null, 'unified-ws is not installed'],
    ])(
      'refuses when the installed unified-ws is %s, naming the version to install',
      async (_name, installed, text) => {
        const dir = repo(FILES, installed);
        const result = await cli(['migrate', dir, '--all']);
        expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(text)]);
        expect(snapshot(dir)).toEqual(FILES);
      },
    );
  });

  describe('revert', () => {
    it('undoes one step exactly, under a later unrelated commit; migrate → revert all is byte-identical', async () => {
      const dir = repo();
      await cli(['migrate', dir, '--all']);
      writeFileSync(join(dir, 'src/plain.ts'), 'export const nothing = 2;\n');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'later work');
      expect((await cli(['revert', 'UWS002', dir])).code).toBe(0);
      expect(read(dir, 'src/a.ts')).toBe(FILES['src/a.ts']);
      expect(read(dir, 'src/b.ts')).not.toBe(FILES['src/b.ts']);
      expect((await cli(['revert', 'UWS004', dir])).code).toBe(0);
      expect((await cli(['revert', 'UWS001', dir])).code).toBe(0);
      expect({ ...snapshot(dir), 'src/plain.ts': FILES['src/plain.ts'] }).toEqual(FILES);
    });

    it('refuses a revert that conflicts with later changes, changing nothing', async () => {
      const dir = repo();
      await cli(['migrate', dir, '--all']);
      writeFileSync(
        join(dir, 'src/a.ts'),
        "import { getWebSocketManager } from 'unified-ws'; // edited later\n\nexport const manager = () => getWebSocketManager();\n",
      );
      git(
        dir,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@t',
        'commit',
        '-qam',
        'edit the migrated line',
      );
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await cli(['revert', 'UWS002', dir]);
      expect([result.code, result.stderr]).toEqual([
        1,
        expect.stringContaining('conflicts with later changes in src/a.ts'),
      ]);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });

    it('--last reverts the newest step; an unknown step is exit 2', async () => {
      const dir = repo();
      await cli(['migrate', dir, '--all']);
      expect((await cli(['revert', '--last', dir])).stdout).toContain('reverted step UWS004');
      expect(read(dir, 'src/b.ts')).toBe(FILES['src/b.ts']);
      expect((await cli(['revert', 'UWS017', dir])).code).toBe(2);
    });
  });

  describe('kill -9 in the middle of migrate', () => {
    function bigRepo(count: number): { dir: string; files: Record<string, string> } {
      const files: Record<string, string> = {};
      for (let i = 0; i < count; i++)
        files[`src/m${i % 10}/f${i}.ts`] =
          `import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\n${'// padding, so that writing takes a while\n'.repeat(50)}export const m${i} = getWebSocketManager;\n`;
      return { dir: repo(files), files };
    }
    const migrated = (text: string) =>
      text.replace("'unified-ws/websocket-core/websocket-manager'", "'unified-ws'");

    it('leaves every file old or new, then resumes to the same result', async () => {
      const { dir, files } = bigRepo(600);
      const child = spawn(
        process.execPath,
        [BIN, 'migrate', dir, '--all', '--verify', 'node -e "setTimeout(() => {}, 10000)"'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk) => (stderr += chunk));
      defer(() => child.kill('SIGKILL'));
      const started = Date.now();
      // Kill at a moment that varies with the machine: as soon as the step has started writing.
      while (!existsSync(join(dir, '.unified-ws', 'journal.json')) && Date.now() - started < 20_000)
        await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 30));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('close', resolve));
      let rewritten = 0;
      for (const [path, text] of Object.entries(files)) {
        const now = read(dir, path);
        expect([path, now === text || now === migrated(text)]).toEqual([path, true]);
        if (now !== text) rewritten++;
      }
      // Nothing on stderr but, if the kill came after the writes, the line saying verify runs.
      expect([rewritten > 0, stderr.replace(/^verifying UWS002: .*…\n$/, '')]).toEqual([true, '']);
      expect(JSON.parse(read(dir, '.unified-ws/journal.json')).step.id).toBe('UWS002');
      const resumed = await cli(['migrate', dir, '--all']);
      expect(resumed.stderr).toContain('resuming step UWS002');
      expect(resumed.code).toBe(0);
      for (const [path, text] of Object.entries(files))
        expect(read(dir, path)).toBe(migrated(text));
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(false);
    });

    it('revert --last restores the files of an interrupted step', async () => {
      const { dir, files } = bigRepo(50);
      const child = spawn(
        process.execPath,
        [BIN, 'migrate', dir, '--all', '--verify', 'node -e "setTimeout(() => {}, 10000)"'],
        { stdio: 'ignore' },
      );
      defer(() => child.kill('SIGKILL'));
      const started = Date.now();
      while (
        !(
          existsSync(join(dir, '.unified-ws', 'journal.json')) &&
          read(dir, '.unified-ws/journal.json').includes('verifying')
        ) &&
        Date.now() - started < 20_000
      )
        await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('close', resolve));
      expect((await cli(['revert', '--last', dir])).code).toBe(0);
      for (const [path, text] of Object.entries(files)) expect(read(dir, path)).toBe(text);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });
  });
});

describe('migrate with a file that does not parse', () => {
  const defer = useCleanup();

  it('names it with file:line, leaves it untouched, migrates the rest, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uws-repo-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const broken =
      "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\nconst = ;\n";
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'node_modules', 'unified-ws'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'unified-ws', 'package.json'),
      '{"name":"unified-ws","version":"0.1.0"}',
    );
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
    writeFileSync(join(dir, 'src', 'broken.ts'), broken);
    writeFileSync(join(dir, 'src', 'good.ts'), FILES['src/a.ts'] as string);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 't');
    git(dir, 'config', 'user.email', 't@t');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    const result = await cli(['migrate', dir, '--all']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/src\/broken\.ts:2: not parsed, left untouched/);
    expect(readFileSync(join(dir, 'src', 'broken.ts'), 'utf8')).toBe(broken);
    expect(readFileSync(join(dir, 'src', 'good.ts'), 'utf8')).toContain("from 'unified-ws';");
  });
});
