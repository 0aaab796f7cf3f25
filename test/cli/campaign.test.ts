import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/index';
import { runCli, useCleanup } from '../helpers';

const BRANCH = 'unified-ws/consolidation';
const BIN = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');

const FILES: Record<string, string> = {
  'src/a.ts':
    "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\n\nexport const manager = () => getWebSocketManager();\n",
  'lib/c.ts':
    "import { UnifiedWebSocketManager as UWM } from 'unified-ws/websocket-core/unified-manager';\n\nexport let m: UWM | undefined;\n",
  // A namespace import the codemod cannot rewrite whole: it leaves a marker.
  'src/ns.ts':
    "import * as legacyMgr from 'unified-ws/websocket-core/manager';\n\nexport const m = legacyMgr.getWebSocketManager();\n",
  'src/plain.ts': 'export const nothing = 1;\n',
};

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

/** Every file under dir (the .git directory aside) with its bytes: what "left as it was" compares. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (relative(dir, path) === '.git') continue;
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return files;
}

/** A consumer repository on main with legacy imports (and the extra files), all committed. */
function consumer(
  defer: (closer: () => unknown) => void,
  extra: Record<string, string> = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'uws-campaign-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries({
    ...FILES,
    ...extra,
    '.gitignore': 'node_modules/\n',
    'node_modules/unified-ws/package.json': JSON.stringify({
      name: 'unified-ws',
      version: '0.1.0',
    }),
  })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 't');
  git(dir, 'config', 'user.email', 't@t');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

const steps = (dir: string) =>
  git(dir, 'log', '--format=%(trailers:key=Unified-Ws-Step,valueonly)', `main..${BRANCH}`)
    .split('\n')
    .filter(Boolean);

describe('unified-ws campaign', () => {
  const defer = useCleanup();
  const VERIFY = 'test ! -f fail-verify';

  it('commits the steps on a branch in each repository, reports those it cannot do, and is idempotent', async () => {
    const good = [consumer(defer), consumer(defer), consumer(defer)];
    const failing = consumer(defer, { 'fail-verify': 'this repository fails its verify\n' });
    const dirty = consumer(defer);
    writeFileSync(join(dirty, 'src/a.ts'), '// edited, not committed\n');
    writeFileSync(join(failing, 'notes.txt'), 'untracked, never touched\n');
    const plain = mkdtempSync(join(tmpdir(), 'uws-not-a-repo-'));
    defer(() => rmSync(plain, { recursive: true, force: true }));
    writeFileSync(join(plain, 'a.ts'), FILES['src/a.ts'] as string);
    const before = new Map([failing, dirty, plain].map((dir) => [dir, snapshot(dir)]));
    const heads = new Map([failing, dirty].map((dir) => [dir, git(dir, 'rev-parse', 'HEAD')]));
    const lists = mkdtempSync(join(tmpdir(), 'uws-campaign-list-'));
    defer(() => rmSync(lists, { recursive: true, force: true }));
    const list = join(lists, 'repos.txt');
    writeFileSync(
      list,
      `# the campaign\n${[...good.slice(1), failing, dirty, plain].join('\n')}\n`,
    );

    const result = await runCli([
      'campaign',
      good[0] as string,
      '--list',
      list,
      '--all',
      '--verify',
      VERIFY,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const outcomes = (JSON.parse(result.stdout) as { repositories: Record<string, unknown>[] })
      .repositories;
    expect(outcomes.map((o) => o.repository)).toEqual([...good, failing, dirty, plain]);

    for (const [i, dir] of good.entries()) {
      const o = outcomes[i] as Record<string, unknown>;
      expect(o).toMatchObject({
        outcome: 'done',
        verify: 'passed',
        branch: BRANCH,
        base: 'main',
        files: 3,
      });
      expect(steps(dir)).toEqual(['UWS003', 'UWS002', 'UWS001']);
      // Back on its branch, clean: the pull-request description is not in git's way.
      expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(readFileSync(join(dir, 'src/a.ts'), 'utf8')).toBe(FILES['src/a.ts']);
      const markers = o.markers as { file: string; line: number }[];
      expect(markers.map((m) => m.file)).toEqual(['src/ns.ts']);
      const pr = readFileSync(join(dir, '.unified-ws', 'pull-request.md'), 'utf8');
      expect(o.pullRequest).toBe(join(dir, '.unified-ws', 'pull-request.md'));
      for (const commit of git(dir, 'rev-list', `main..${BRANCH}`).split('\n'))
        expect(pr).toContain(commit.slice(0, 10));
      expect(pr).toContain(`\`src/ns.ts:${markers[0]?.line}\``);
      expect(pr).toContain(VERIFY);
      expect(pr).toContain('unified-ws revert');
    }
    expect(outcomes[3]).toMatchObject({ outcome: 'failed', verify: 'failed' });
    expect(outcomes[3]?.reason).toMatch(/^verify failed for UWS001/);
    expect(outcomes[4]).toMatchObject({ outcome: 'failed' });
    expect(outcomes[4]?.reason).toContain('uncommitted changes (src/a.ts)');
    expect(outcomes[5]).toMatchObject({ outcome: 'failed', reason: 'not a git repository' });
    for (const dir of [failing, dirty, plain]) expect(snapshot(dir)).toEqual(before.get(dir));
    for (const dir of [failing, dirty]) {
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(heads.get(dir));
      expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
      expect(git(dir, 'branch', '--list', BRANCH)).toBe('');
    }

    const tips = good.map((dir) => git(dir, 'rev-parse', BRANCH));
    const again = await runCli(['campaign', ...good, '--all', '--verify', VERIFY]);
    expect(again.code).toBe(0);
    const table = again.stdout.split('\n');
    expect(table[0]).toMatch(/^repository +steps +files +markers +verify +branch +outcome$/);
    for (const dir of good)
      expect(again.stdout).toMatch(new RegExp(`${dir} +3 +3 +1 +not run +${BRANCH} +up-to-date`));
    expect(good.map((dir) => git(dir, 'rev-parse', BRANCH))).toEqual(tips);

    const status = await runCli([
      'campaign',
      '--status',
      '--json',
      good[0] as string,
      failing,
      plain,
    ]);
    expect(status.code).toBe(0);
    expect(
      (JSON.parse(status.stdout) as { repositories: { state: string }[] }).repositories.map(
        (r) => r.state,
      ),
    ).toEqual(['done', 'not started', 'not a repository']);
  });

  it('refuses a campaign branch with commits that are not its steps, and says when the base moved', async () => {
    const foreign = consumer(defer);
    git(foreign, 'checkout', '-q', '-b', BRANCH);
    writeFileSync(join(foreign, 'other.txt'), 'someone else\n');
    git(foreign, 'add', 'other.txt');
    git(foreign, 'commit', '-qm', 'not a step');
    git(foreign, 'checkout', '-q', 'main');
    const tip = git(foreign, 'rev-parse', BRANCH);
    const moved = consumer(defer);
    expect((await runCli(['campaign', moved, '--step', 'UWS002'])).code).toBe(0);
    writeFileSync(join(moved, 'later.txt'), 'main moves on\n');
    git(moved, 'add', 'later.txt');
    git(moved, 'commit', '-qm', 'later');
    const result = await runCli(['campaign', foreign, moved, '--all', '--json']);
    expect(result.code).toBe(1);
    const [a, b] = (JSON.parse(result.stdout) as { repositories: { reason: string }[] })
      .repositories;
    expect(a?.reason).toContain(`${BRANCH} has 1 commit that is not a campaign step`);
    expect(b?.reason).toContain('behind: main moved since');
    expect(git(foreign, 'rev-parse', BRANCH)).toBe(tip);
    // Someone's own work on the campaign branch, checked out: not the campaign's to carry away.
    const working = consumer(defer);
    git(working, 'checkout', '-q', '-b', BRANCH);
    writeFileSync(join(working, 'src/plain.ts'), 'export const nothing = 2;\n');
    const bytes = snapshot(working);
    const refused = await runCli(['campaign', working, '--all', '--json']);
    expect(refused.code).toBe(1);
    expect(
      (JSON.parse(refused.stdout) as { repositories: { reason: string }[] }).repositories[0]
        ?.reason,
    ).toBe(`on ${BRANCH} with uncommitted changes (src/plain.ts)`);
    expect(snapshot(working)).toEqual(bytes);
    expect(git(working, 'symbolic-ref', '--short', 'HEAD')).toBe(BRANCH);
    // As a run killed right after making its branch leaves it: on the branch, nothing committed.
    // Its verify fails now: back on main, and the empty branch is not left behind.
    const killed = consumer(defer, { 'fail-verify': 'x\n' });
    git(killed, 'checkout', '-q', '-b', BRANCH);
    const resumed = await runCli(['campaign', killed, '--all', '--verify', VERIFY, '--json']);
    expect(resumed.code).toBe(1);
    expect(
      (JSON.parse(resumed.stdout) as { repositories: { reason: string }[] }).repositories[0]
        ?.reason,
    ).toMatch(/^verify failed for UWS001/);
    expect(git(killed, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(killed, 'branch', '--list', BRANCH)).toBe('');
    expect(git(killed, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    const status = await runCli(['campaign', '--status', foreign, moved]);
    expect(status.stdout).toMatch(/blocked/);
    expect(status.stdout).toMatch(/behind/);
  });

  it('on SIGINT, rolls back the repositories in flight, starts no other, and exits 130', async () => {
    const repos = [consumer(defer), consumer(defer), consumer(defer)];
    const work = mkdtempSync(join(tmpdir(), 'uws-campaign-int-'));
    defer(() => rmSync(work, { recursive: true, force: true }));
    const verify = `echo $$ > '${work}'/$(basename "$PWD").pid; sleep 60`;
    const child = spawn(
      process.execPath,
      [BIN, 'campaign', ...repos, '--all', '--verify', verify, '--json'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const pids = () => readdirSync(work).filter((name) => name.endsWith('.pid'));
    try {
      for (let i = 0; i < 400 && pids().length < 2; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pids()).toHaveLength(2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
    const outcomes = (
      JSON.parse(stdout) as { repositories: { outcome: string; reason?: string }[] }
    ).repositories;
    expect(outcomes.map((o) => o.outcome)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(outcomes[2]?.reason).toBe('not started');
    for (const dir of repos) {
      expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      // Nothing was committed: no branch is left.
      expect(git(dir, 'branch', '--list', BRANCH)).toBe('');
    }
    // migrate stopped each verify's process group (its last members are reaped by init a moment
    // after the campaign exits): none is left running.
    for (const name of pids()) {
      const pid = Number(readFileSync(join(work, name), 'utf8'));
      const alive = () => {
        try {
          process.kill(-pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 100 && alive(); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(alive()).toBe(false);
    }
  }, 30000);

  it('takes --by dir, --branch and --concurrency 1, and names a failed repository on stderr', async () => {
    const dir = consumer(defer);
    const failing = consumer(defer, { 'fail-verify': 'x\n' });
    const result = await runCli([
      'campaign',
      dir,
      failing,
      '--all',
      '--by',
      'dir',
      '--branch',
      'consolidate',
      '--concurrency',
      '1',
      '--verify',
      VERIFY,
    ]);
    expect(result.code).toBe(1);
    expect(
      git(dir, 'log', '--format=%(trailers:key=Unified-Ws-Step,valueonly)', 'main..consolidate')
        .split('\n')
        .filter(Boolean),
    ).toEqual(['dir:src', 'dir:lib']);
    expect(result.stdout).toMatch(new RegExp(`${dir} +2 +3 +1 +passed +consolidate +done`));
    expect(result.stdout).toMatch(
      new RegExp(`${failing} +0 +0 +0 +failed +- +failed: verify failed for dir:lib`),
    );
    expect(result.stderr).toContain(`${failing}:\n  verifying dir:lib: ${VERIFY}…`);
    expect(git(failing, 'branch', '--list', 'consolidate')).toBe('');
  });

  it('leaves no branch when there is nothing to migrate, and a partial campaign shows as partial', async () => {
    const clean = consumer(defer);
    for (const file of ['src/a.ts', 'lib/c.ts', 'src/ns.ts']) git(clean, 'rm', '-q', file);
    git(clean, 'commit', '-qm', 'no legacy');
    const partial = consumer(defer);
    const result = await runCli(['campaign', clean, partial, '--step', 'UWS002', '--json']);
    expect(result.code).toBe(0);
    const [a, b] = (JSON.parse(result.stdout) as { repositories: { outcome: string }[] })
      .repositories;
    expect(a?.outcome).toBe('nothing-to-migrate');
    expect(b?.outcome).toBe('done');
    expect(git(clean, 'branch', '--list', BRANCH)).toBe('');
    expect(existsSync(join(clean, '.unified-ws', 'pull-request.md'))).toBe(false);
    const status = await runCli(['campaign', '--status', '--json', partial]);
    const [s] = (JSON.parse(status.stdout) as { repositories: { state: string; detail: string }[] })
      .repositories;
    expect(s?.state).toBe('partial');
    expect(s?.detail).toContain('left to do: UWS001, UWS003');
    // The rest of the campaign goes on from the step already on the branch.
    const tip = git(partial, 'rev-parse', BRANCH);
    const rest = await runCli(['campaign', partial, '--all', '--json']);
    expect(rest.code).toBe(0);
    expect(steps(partial)).toEqual(['UWS003', 'UWS001', 'UWS002']);
    expect(git(partial, 'rev-list', '--reverse', `main..${BRANCH}`).split('\n')[0]).toBe(tip);
    expect(git(partial, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
  });

  it('resumes a campaign killed in the middle of a verify, and finishes every repository', async () => {
    const repos = [consumer(defer), consumer(defer), consumer(defer)];
    const work = mkdtempSync(join(tmpdir(), 'uws-campaign-kill-'));
    defer(() => rmSync(work, { recursive: true, force: true }));
    const hold = join(work, 'hold');
    writeFileSync(hold, '');
    // While the hold file exists, a verify says it started (its process group, by pid) and waits.
    const verify = `if [ -f '${hold}' ]; then echo $$ > '${work}'/$(basename "$PWD").pid; sleep 60; fi`;
    const argv = [BIN, 'campaign', ...repos, '--all', '--verify', verify, '--concurrency', '2'];
    const child = spawn(process.execPath, argv, { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const pids = () => readdirSync(work).filter((name) => name.endsWith('.pid'));
    try {
      for (let i = 0; i < 400 && pids().length < 2; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pids()).toHaveLength(2);
    } finally {
      child.kill('SIGKILL');
      await exited;
      // The verifies the kill orphaned: their process groups end here.
      for (const name of pids()) {
        const pid = Number(readFileSync(join(work, name), 'utf8'));
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    const inFlight = repos.filter((dir) => pids().includes(`${dir.split('/').pop()}.pid`));
    expect(inFlight).toHaveLength(2);
    for (const dir of inFlight) {
      expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe(BRANCH);
      expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(true);
    }
    const status = await runCli(['campaign', '--status', '--json', ...repos]);
    const states = (JSON.parse(status.stdout) as { repositories: { state: string }[] })
      .repositories;
    expect(states.filter((s) => s.state === 'in progress')).toHaveLength(2);

    rmSync(hold);
    const again = await runCli(['campaign', ...repos, '--all', '--verify', verify, '--json']);
    expect(again.code).toBe(0);
    const outcomes = (JSON.parse(again.stdout) as { repositories: { outcome: string }[] })
      .repositories;
    expect(outcomes.map((o) => o.outcome)).toEqual(['done', 'done', 'done']);
    for (const dir of repos) {
      expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(steps(dir)).toEqual(['UWS003', 'UWS002', 'UWS001']);
      expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(false);
      expect(readFileSync(join(dir, 'src/a.ts'), 'utf8')).toBe(FILES['src/a.ts']);
    }
    const third = await runCli(['campaign', ...repos, '--all', '--verify', verify, '--json']);
    expect(third.code).toBe(0);
    expect(
      (JSON.parse(third.stdout) as { repositories: { outcome: string }[] }).repositories.map(
        (o) => o.outcome,
      ),
    ).toEqual(['up-to-date', 'up-to-date', 'up-to-date']);
  }, 30000);

  it('draws a progress bar across repositories on a terminal', async () => {
    const repos = [consumer(defer), consumer(defer)];
    let drawn = '';
    const stderr = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 80,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    stderr.on('data', (chunk) => (drawn += chunk));
    const ci = process.env.CI;
    delete process.env.CI;
    defer(() => {
      if (ci !== undefined) process.env.CI = ci;
    });
    const code = await main(['campaign', ...repos, '--all'], {
      stdout: new PassThrough().resume(),
      stderr,
      interrupted: new Promise(() => undefined),
    });
    expect(code).toBe(0);
    expect(drawn).toContain('campaign');
    expect(drawn).toMatch(/[12]\/2/);
  });

  it.each([
    [['campaign', '.'], 'say which steps'],
    [['campaign', '.', '--all', '--step', 'UWS001'], 'one or the other'],
    [['campaign', '.', '--all', '--concurrency', '0'], '--concurrency must be a positive integer'],
    [['campaign', '.', '--all', '--by', 'file'], '--by must be code or dir'],
    [['campaign', '/nonexistent/uws-campaign', '--all'], 'is not a directory'],
    [['campaign', '--list', '/nonexistent/uws-list', '--all'], 'no such file'],
  ])('%j is a usage error', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
