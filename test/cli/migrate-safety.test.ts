import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, useCleanup } from '../helpers';

// `migrate` on repositories as they are: ignored and untracked files, verify commands that fail or
// hang, rollbacks that cannot finish, signals, commit hooks and git identities. Real git
// repositories in temporary directories, the real CLI (in process, or the built bin as a child
// process where a signal or an environment of its own is needed).

const BIN = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');
const cli = runCli;

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

const LEGACY = {
  UWS001:
    "import { UnifiedWebSocketManager as UWM } from 'unified-ws/websocket-core/unified-manager';\n\nexport let m: UWM | undefined;\n",
  UWS002:
    "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\n\nexport const manager = () => getWebSocketManager();\n",
  UWS003:
    "import * as legacyMgr from 'unified-ws/websocket-core/manager';\n\nexport const m = legacyMgr.getWebSocketManager();\n",
};

/** Tracked files: CRLF line ends, no final newline, an executable bit — restored byte for byte. */
const TRACKED: Record<string, string> = {
  'src/a.ts': LEGACY.UWS002.replace(/\n/g, '\r\n'),
  'src/b.ts': LEGACY.UWS002.trimEnd(),
  'lib/c.ts': LEGACY.UWS001,
  'src/plain.ts': 'export const nothing = 1;\n',
};
const IGNORED = { 'temp/scratch.ts': LEGACY.UWS002 };
const UNTRACKED = { 'src/new.ts': LEGACY.UWS001 };

describe('migrate is safe on any repository', () => {
  const defer = useCleanup();

  function tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  function write(dir: string, files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  }

  /** A repository with tracked, ignored and (optionally) untracked legacy files, and an identity. */
  function repo(
    options: { untracked?: boolean; identity?: boolean; tracked?: Record<string, string> } = {},
  ): string {
    const dir = tempDir('uws-safety-');
    write(dir, { ...(options.tracked ?? TRACKED), '.gitignore': 'node_modules/\ntemp/\n' });
    mkdirSync(join(dir, 'node_modules', 'unified-ws'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'unified-ws', 'package.json'),
      JSON.stringify({ name: 'unified-ws', version: '0.1.0' }),
    );
    git(dir, 'init', '-q', '-b', 'main');
    if (options.identity !== false) {
      git(dir, 'config', 'user.name', 'Tess Ter');
      git(dir, 'config', 'user.email', 'tess@example.com');
    }
    if (!options.tracked) chmodSync(join(dir, 'src/a.ts'), 0o755);
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'initial');
    write(dir, IGNORED);
    if (options.untracked) write(dir, UNTRACKED);
    return dir;
  }

  const bytes = (dir: string, path: string) => readFileSync(join(dir, path));
  const snapshot = (dir: string, paths: string[]) =>
    Object.fromEntries(
      paths.map((path) => [
        path,
        existsSync(join(dir, path))
          ? `${statSync(join(dir, path)).mode.toString(8)} ${bytes(dir, path).toString('base64')}`
          : 'missing',
      ]),
    );
  const ALL = [...Object.keys(TRACKED), ...Object.keys(IGNORED), ...Object.keys(UNTRACKED)];
  const noState = (dir: string) => {
    expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(false);
    expect(existsSync(join(dir, '.unified-ws', 'backup'))).toBe(false);
  };

  /** The built CLI as a child process; resolves with its exit code and output. */
  function bin(
    argv: string[],
    env: NodeJS.ProcessEnv = process.env,
  ): {
    child: ReturnType<typeof spawn>;
    stderr: () => string;
    done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  } {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    defer(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return { child, stderr: () => stderr, done };
  }

  /** Whether a process runs (a zombie waiting for init to reap it does not). */
  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    const status = join('/proc', String(pid), 'status');
    return !(existsSync(status) && /^State:\s+Z/m.test(readFileSync(status, 'utf8')));
  }

  /**
   * A verify command that records its pid and sleeps; after a kill -9 of the CLI it would outlive
   * the test, so its process group is stopped at cleanup.
   */
  function sleepingVerify(): { command: string; pid: () => number | undefined } {
    const pidFile = join(tempDir('uws-pid-'), 'verify.pid');
    const read = () =>
      existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== ''
        ? Number(readFileSync(pidFile, 'utf8'))
        : undefined;
    defer(() => {
      const pid = read();
      if (pid === undefined) return;
      for (const target of [-pid, pid])
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // gone already
        }
    });
    return {
      command: `node -e "require('fs').writeFileSync(${JSON.stringify(pidFile).replace(/"/g, "'")}, String(process.pid)); setTimeout(() => {}, 30000)"`,
      pid: read,
    };
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    while (!condition()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  describe('which files', () => {
    it('never touches a gitignored file that imports a legacy module; commits the tracked ones', async () => {
      const dir = repo();
      const result = await cli(['migrate', dir, '--all']);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(bytes(dir, 'temp/scratch.ts').toString()).toBe(IGNORED['temp/scratch.ts']);
      expect(bytes(dir, 'src/b.ts').toString()).toContain("from 'unified-ws';");
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      // check and the plan do not see the ignored file either.
      expect((await cli(['check', dir])).code).toBe(0);
      expect((await cli(['migrate', dir, '--plan'])).stdout).toBe('nothing to migrate\n');
    });

    it('--include-untracked rewrites untracked files (never ignored ones, never committed)', async () => {
      const dir = repo({ untracked: true });
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await cli(['migrate', dir, '--all', '--include-untracked']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /^UWS001: 1 untracked file rewritten, not committed: src\/new\.ts; its bytes from before are kept in \.unified-ws\/untracked\/UWS001-[0-9a-f]{12}\.json, and `unified-ws revert UWS001` restores them\n$/,
      );
      expect(bytes(dir, 'src/new.ts').toString()).toContain("from 'unified-ws';");
      expect(bytes(dir, 'temp/scratch.ts').toString()).toBe(IGNORED['temp/scratch.ts']);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('?? src/new.ts');
      expect(git(dir, 'log', '--format=%s', `${head}..HEAD`).split('\n')).toEqual([
        'unified-ws: migrate UWS002 (2 files)',
        'unified-ws: migrate UWS001 (1 file)',
      ]);
    });

    it('leaves an untracked file alone without --include-untracked, naming it, and is not stopped by it', async () => {
      const dir = repo({ untracked: true });
      const result = await cli(['migrate', dir, '--all']);
      expect([result.code, result.stderr]).toEqual([
        0,
        'note: 1 untracked file uses legacy modules and is left as it is (--include-untracked rewrites it too): src/new.ts\n',
      ]);
      expect(bytes(dir, 'src/new.ts').toString()).toBe(UNTRACKED['src/new.ts']);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('?? src/new.ts');
    });
  });

  describe('rollback from the journal', () => {
    it('a failed verify restores every file the step touched byte for byte (untracked too) and leaves no state', async () => {
      const dir = repo({ untracked: true });
      const before = snapshot(dir, ALL);
      const head = git(dir, 'rev-parse', 'HEAD');
      // The verify command itself changes a file of the step, then fails: git checkout could not
      // restore the untracked file, nor the mode; the journal does.
      const verify = `node -e "require('fs').appendFileSync('src/new.ts', '// verify was here'); require('fs').chmodSync('lib/c.ts', 0o600); process.exit(4)"`;
      const result = await cli([
        'migrate',
        dir,
        '--all',
        '--include-untracked',
        '--verify',
        verify,
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('UWS001: rolled back: 2 files restored\n');
      expect(result.stderr).toContain('step UWS001 rolled back: 2 files restored\n');
      expect(snapshot(dir, ALL)).toEqual(before);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('?? src/new.ts');
      noState(dir);
    });

    it('a restore that cannot finish exits 3 naming the file, keeps the journal; --abort completes it', async () => {
      const dir = repo();
      const before = snapshot(dir, ALL);
      // A directory where the step's file was: nothing can be written in its place.
      const verify = `node -e "const fs = require('fs'); fs.rmSync('src/a.ts'); fs.mkdirSync('src/a.ts'); process.exit(1)"`;
      const result = await cli(['migrate', dir, '--step', 'UWS002', '--verify', verify]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        'rollback incomplete: 1 file of step UWS002 could not be restored',
      );
      expect(result.stderr).toContain('  src/a.ts: a directory is in its place\n');
      expect(result.stderr).toContain('unified-ws migrate --abort');
      expect(result.stderr).not.toContain('rolled back:');
      expect(result.stdout).toBe('UWS002: rollback incomplete: 1 of 2 files not restored\n');
      expect(bytes(dir, 'src/b.ts')).toEqual(Buffer.from(TRACKED['src/b.ts'] as string));
      expect(JSON.parse(bytes(dir, '.unified-ws/journal.json').toString()).step).toMatchObject({
        id: 'UWS002',
        state: 'rolling-back',
      });
      // Another run refuses to go on until the rollback is finished.
      const again = await cli(['migrate', dir, '--all']);
      expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('--abort')]);

      const stillBlocked = await cli(['migrate', dir, '--abort']);
      expect(stillBlocked.code).toBe(3);
      rmSync(join(dir, 'src/a.ts'), { recursive: true });
      const aborted = await cli(['migrate', dir, '--abort']);
      expect([aborted.code, aborted.stdout]).toEqual([
        0,
        'rolled back step UWS002: 2 files restored\n',
      ]);
      expect(snapshot(dir, ALL)).toEqual(before);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      noState(dir);
      const nothing = await cli(['migrate', dir, '--abort']);
      expect([nothing.code, nothing.stderr]).toEqual([
        2,
        expect.stringContaining('nothing to abort'),
      ]);
    });

    it('--abort and revert --last undo a step killed during verify, untracked files included', async () => {
      for (const undo of [
        ['migrate', '--abort'],
        ['revert', '--last'],
      ]) {
        const dir = repo({ untracked: true });
        const before = snapshot(dir, ALL);
        const verify = sleepingVerify();
        const run = bin([
          'migrate',
          dir,
          '--all',
          '--include-untracked',
          '--verify',
          verify.command,
        ]);
        await until(() => verify.pid() !== undefined, 'the verify');
        run.child.kill('SIGKILL');
        await run.done;
        expect(bytes(dir, 'src/new.ts').toString()).toContain("from 'unified-ws';");
        const result = await cli([undo[0] as string, dir, undo[1] as string]);
        expect(result.code).toBe(0);
        expect(snapshot(dir, ALL)).toEqual(before);
        noState(dir);
      }
    });

    it('resuming refuses a step whose files changed since it was killed, pointing to --abort', async () => {
      const dir = repo();
      const verify = sleepingVerify();
      const run = bin(['migrate', dir, '--all', '--verify', verify.command]);
      await until(() => verify.pid() !== undefined, 'the verify');
      run.child.kill('SIGKILL');
      await run.done;
      writeFileSync(join(dir, 'lib/c.ts'), 'edited by hand after the kill\n');
      const result = await cli(['migrate', dir, '--all']);
      expect([result.code, result.stderr]).toEqual([
        2,
        expect.stringMatching(/since then lib\/c\.ts changed: run `unified-ws migrate --abort`/),
      ]);
      expect(bytes(dir, 'lib/c.ts').toString()).toBe('edited by hand after the kill\n');
    });
  });

  describe('signals', () => {
    it('SIGTERM during verify kills the verify, rolls the step back and exits 130', async () => {
      const dir = repo();
      const before = snapshot(dir, ALL);
      const head = git(dir, 'rev-parse', 'HEAD');
      const verify = sleepingVerify();
      const run = bin(['migrate', dir, '--all', '--verify', verify.command]);
      await until(() => verify.pid() !== undefined, 'the verify');
      const verifyPid = verify.pid() as number;
      const started = Date.now();
      run.child.kill('SIGTERM');
      const result = await run.done;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('verifying UWS001: ');
      expect(result.stderr).toContain('interrupted: step UWS001 rolled back (1 file restored)\n');
      expect(result.stderr).not.toContain('verify failed');
      expect(result.stdout).toBe('UWS001: interrupted, 1 file changed\n');
      expect(snapshot(dir, ALL)).toEqual(before);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      noState(dir);
      // The verify process (its whole group) was stopped, not left running.
      expect(alive(verifyPid)).toBe(false);
    });
  });

  describe('git identity and hooks', () => {
    /** An environment where git has no identity: no global or system config, an empty HOME. */
    function anonymous(): NodeJS.ProcessEnv {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOME: tempDir('uws-home-'),
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      };
      for (const name of [
        'GIT_AUTHOR_NAME',
        'GIT_AUTHOR_EMAIL',
        'GIT_COMMITTER_NAME',
        'GIT_COMMITTER_EMAIL',
        'EMAIL',
        'XDG_CONFIG_HOME',
      ])
        delete env[name];
      return env;
    }

    it('stops with exit 2 and how to set it when git has no identity, before touching anything', async () => {
      const dir = repo({ identity: false });
      const before = snapshot(dir, ALL);
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await bin(['migrate', dir, '--all'], anonymous()).done;
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('git does not know who you are');
      expect(result.stderr).toContain('git config --global user.name "Your Name"');
      expect(result.stderr).toContain('git config --global user.email');
      expect(snapshot(dir, ALL)).toEqual(before);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(existsSync(join(dir, '.unified-ws'))).toBe(false);
      // Without commits, no identity is needed.
      expect((await bin(['migrate', dir, '--all', '--no-commit'], anonymous()).done).code).toBe(0);
    });

    it('revert needs the identity too', async () => {
      const dir = repo({ identity: false });
      git(dir, 'config', 'user.name', 'Tess Ter');
      git(dir, 'config', 'user.email', 'tess@example.com');
      expect((await cli(['migrate', dir, '--all'])).code).toBe(0);
      git(dir, 'config', '--unset', 'user.name');
      git(dir, 'config', '--unset', 'user.email');
      const head = git(dir, 'rev-parse', 'HEAD');
      const result = await bin(['revert', '--last', dir], anonymous()).done;
      expect([result.code, result.stderr]).toEqual([
        2,
        expect.stringContaining('git does not know who you are'),
      ]);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    });

    function hook(dir: string, name: string, script: string): void {
      writeFileSync(join(dir, '.git', 'hooks', name), `#!/bin/sh\n${script}\n`);
      chmodSync(join(dir, '.git', 'hooks', name), 0o755);
    }

    it('commits as the user, through hooks that pass', async () => {
      const dir = repo();
      hook(dir, 'pre-commit', 'echo ran >> "$(git rev-parse --git-dir)/pre-commit.log"');
      const head = git(dir, 'rev-parse', 'HEAD');
      expect((await cli(['migrate', dir, '--all'])).code).toBe(0);
      expect(git(dir, 'log', '--format=%an <%ae>|%cn <%ce>', `${head}..HEAD`).split('\n')).toEqual([
        'Tess Ter <tess@example.com>|Tess Ter <tess@example.com>',
        'Tess Ter <tess@example.com>|Tess Ter <tess@example.com>',
      ]);
      expect(readFileSync(join(dir, '.git', 'pre-commit.log'), 'utf8')).toBe('ran\nran\n');
    });

    it('a pre-commit hook that fails leaves the repository as it was and exits 1; --no-verify skips hooks', async () => {
      const dir = repo();
      hook(dir, 'pre-commit', 'echo "lint: 3 problems" >&2\nexit 1');
      // Something already staged stays staged, and out of the step's commit.
      writeFileSync(join(dir, 'src/plain.ts'), 'export const nothing = 2;\n');
      git(dir, 'add', 'src/plain.ts');
      const paths = [...ALL, 'src/plain.ts'];
      const before = snapshot(dir, paths);
      const head = git(dir, 'rev-parse', 'HEAD');
      const status = git(dir, 'status', '--porcelain', '--untracked-files=all');
      const result = await cli([
        'migrate',
        dir,
        '--all',
        '--allow-dirty',
        '--verify',
        'node -e ""',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('the pre-commit hook refused the commit of step UWS001');
      expect(result.stderr).toContain('lint: 3 problems');
      expect(result.stderr).toContain('step UWS001 rolled back: 1 file restored');
      expect(result.stdout).toBe('UWS001: rolled back: 1 file restored\n');
      expect(snapshot(dir, paths)).toEqual(before);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe(status);
      noState(dir);

      const skipped = await cli(['migrate', dir, '--all', '--allow-dirty', '--no-verify']);
      expect(skipped.code).toBe(0);
      expect(git(dir, 'log', '--format=%s', `${head}..HEAD`).split('\n')).toHaveLength(2);
      expect(git(dir, 'diff', '--cached', '--name-only')).toBe('src/plain.ts');
      expect(git(dir, 'diff', '--name-only', head, 'HEAD').split('\n')).not.toContain(
        'src/plain.ts',
      );
    });
  });

  describe('what migrate says', () => {
    it('says which step it verifies, and shows only the last 40 lines of a failing verify', async () => {
      const dir = repo();
      const script = join(tempDir('uws-verify-'), 'noisy.js');
      writeFileSync(
        script,
        "for (let i = 1; i <= 100; i++) process.stdout.write(`out ${i}\\n`);\nprocess.stderr.write('err 101\\n');\nprocess.stdout.write('out 102\\n');\nprocess.exit(5);\n",
      );
      const verify = `node ${JSON.stringify(script)}`;
      const result = await cli(['migrate', dir, '--all', '--verify', verify]);
      expect(result.code).toBe(1);
      const lines = result.stderr.split('\n');
      expect(lines.filter((line) => line.startsWith('verifying '))).toEqual([
        `verifying UWS001: ${verify}…`,
      ]);
      expect(result.stderr).toContain(
        `verify failed for UWS001 (${verify}: exit code 5); the last 40 of 102 lines of its output:\n`,
      );
      // stdout and stderr interleaved as written: out 63 … out 100, err 101, out 102.
      const shown = lines.filter((line) => /^ {2}(out|err) \d+$/.test(line)).map((l) => l.trim());
      expect(shown).toEqual([
        ...Array.from({ length: 38 }, (_, i) => `out ${i + 63}`),
        'err 101',
        'out 102',
      ]);
    });

    it('--plan lists steps with their files and marker counts and writes nothing; --json too', async () => {
      const tracked = { ...TRACKED, 'src/ns.ts': LEGACY.UWS003, 'lib/ns.ts': LEGACY.UWS003 };
      const dir = repo({ tracked });
      const status = git(dir, 'status', '--porcelain', '--untracked-files=all');
      const plan = await cli(['migrate', dir, '--plan']);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toBe(
        [
          'UWS001: 1 file, 0 markers',
          '  lib/c.ts',
          'UWS002: 2 files, 0 markers',
          '  src/a.ts',
          '  src/b.ts',
          'UWS003: 2 files, 2 markers',
          '  lib/ns.ts (1 marker)',
          '  src/ns.ts (1 marker)',
          '3 steps, 5 files, 2 markers',
          '',
        ].join('\n'),
      );
      const json = await cli(['migrate', dir, '--plan', '--json', '--by', 'dir']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        steps: [
          {
            id: 'dir:lib',
            codes: ['UWS001', 'UWS003'],
            files: ['lib/c.ts', 'lib/ns.ts'],
            markers: 1,
          },
          {
            id: 'dir:src',
            codes: ['UWS002', 'UWS003'],
            files: ['src/a.ts', 'src/b.ts', 'src/ns.ts'],
            markers: 1,
          },
        ],
        unparsable: [],
      });
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe(status);
      expect(existsSync(join(dir, '.unified-ws'))).toBe(false);
      expect(bytes(dir, 'src/ns.ts').toString()).toBe(LEGACY.UWS003);
    });
  });
});
