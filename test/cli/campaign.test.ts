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

  it('runs a repository named twice, or by a subfolder, once, and says so', async () => {
    const dir = consumer(defer);
    const result = await runCli(['campaign', dir, join(dir, 'src'), dir, '--all', '--json']);
    expect(result.code).toBe(0);
    const outcomes = (JSON.parse(result.stdout) as { repositories: { repository: string }[] })
      .repositories;
    expect(outcomes.map((o) => o.repository)).toEqual([dir]);
    expect(result.stderr).toContain(`${join(dir, 'src')}: same repository as ${dir}, run once`);
    expect(result.stderr).toContain(`${dir}: same repository as ${dir}, run once`);
    // Each step once: no step of a concurrent run of the same repository.
    expect(steps(dir)).toEqual(['UWS003', 'UWS002', 'UWS001']);
    // A subfolder alone runs at its repository's root.
    const other = consumer(defer);
    const sub = await runCli(['campaign', join(other, 'lib'), '--step', 'UWS002', '--json']);
    expect(sub.code).toBe(0);
    expect(
      (JSON.parse(sub.stdout) as { repositories: { repository: string }[] }).repositories[0]
        ?.repository,
    ).toBe(other);
    expect(steps(other)).toEqual(['UWS002']);
  });

  it('refuses bad inputs once, with exit 2, before any repository is touched', async () => {
    const dir = consumer(defer);
    const bad = mkdtempSync(join(tmpdir(), 'uws-campaign-manifest-'));
    defer(() => rmSync(bad, { recursive: true, force: true }));
    const invalid = join(bad, 'invalid.json');
    writeFileSync(invalid, '{ "package": "fs" ');
    const head = git(dir, 'rev-parse', 'HEAD');
    const cases: [string[], string][] = [
      [['--step', 'NOPE001'], 'unknown step "NOPE001"'],
      [
        ['--all', '--manifest', join(bad, 'missing.json')],
        `--manifest ${join(bad, 'missing.json')}: not a valid manifest: cannot be read`,
      ],
      [['--all', '--manifest', invalid], `--manifest ${invalid}: not a valid manifest`],
      [['--all', '--branch', 'bad..name'], '--branch "bad..name" is not a valid branch name'],
      [['--all', '--branch', 'a branch'], 'is not a valid branch name'],
      [['--all', '--branch', '@{-1}'], 'is not a valid branch name'],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(['campaign', dir, dir, ...argv]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      // Said once, not once per repository; no line starts with stray spaces.
      expect(result.stderr.split(message)).toHaveLength(2);
      expect(result.stderr).not.toMatch(/^ +\S/m);
      expect(result.stdout).toBe('');
    }
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'branch', '--list', '*')).toBe('* main');
    expect(existsSync(join(dir, '.unified-ws'))).toBe(false);
  });

  it('with a user manifest, the pull request is titled by it and its check carries --manifest', async () => {
    const manifest = join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json');
    const dir = consumer(defer, {
      'src/io.ts':
        "import { readFileSync } from 'fs';\n\nexport const read = (p: string) => readFileSync(p, 'utf8');\n",
    });
    const result = await runCli(['campaign', dir, '--all', '--manifest', manifest, '--json']);
    expect(result.code).toBe(0);
    expect(
      (JSON.parse(result.stdout) as { repositories: { outcome: string }[] }).repositories[0]
        ?.outcome,
    ).toBe('done');
    const pr = readFileSync(join(dir, '.unified-ws', 'pull-request.md'), 'utf8');
    expect(pr.split('\n')[0]).toBe('# Migrate imports (manifest node-protocol.json, 1 step)');
    expect(pr).not.toContain('Consolidate onto unified-ws');
    expect(pr).toContain(`\`npx unified-ws check --manifest ${manifest}\``);
    // That command finds the use the branch migrates (plain `check` does not: not its manifest),
    // and none on the branch.
    const uses = async (...argv: string[]) =>
      (
        JSON.parse((await runCli(['check', dir, '--json', ...argv])).stdout) as {
          failing: { file: string }[];
        }
      ).failing.map((f) => f.file);
    expect(await uses('--manifest', manifest)).toEqual(['src/io.ts']);
    expect(await uses()).not.toContain('src/io.ts');
    git(dir, 'checkout', '-q', BRANCH);
    expect(await uses('--manifest', manifest)).toEqual([]);
    git(dir, 'checkout', '-q', 'main');
  });

  it('the pull request says the verify each step passed, from its commit; a run that makes no step leaves it as it is', async () => {
    const dir = consumer(defer);
    expect((await runCli(['campaign', dir, '--step', 'UWS002', '--verify', 'true'])).code).toBe(0);
    expect(
      git(dir, 'log', '-1', '--format=%(trailers:key=Unified-Ws-Verify,valueonly)', BRANCH),
    ).toBe('true');
    const path = join(dir, '.unified-ws', 'pull-request.md');
    expect(readFileSync(path, 'utf8')).toContain('made once `true` passed on it');
    // The rest without a verify: the description names the verify of the step that had one.
    expect((await runCli(['campaign', dir, '--all'])).code).toBe(0);
    const mixed = readFileSync(path, 'utf8');
    expect(mixed).toMatch(/UWS002: .*\(verified: `true`\)/);
    expect(mixed).not.toMatch(/UWS001: .*verified/);
    expect(mixed).toContain('- Run your type-check and tests on this branch.');
    // Up to date: a run with another verify makes no step and does not rewrite the description.
    writeFileSync(path, 'kept\n');
    const again = await runCli(['campaign', dir, '--all', '--verify', VERIFY, '--json']);
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { repositories: { outcome: string }[] }).repositories[0]
        ?.outcome,
    ).toBe('up-to-date');
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
    expect(readFileSync(path, 'utf8')).not.toContain(VERIFY);
  });

  it('takes a step reverted on the campaign branch with unified-ws revert as reverted by you', async () => {
    const dir = consumer(defer);
    expect((await runCli(['campaign', dir, '--all', '--verify', 'true'])).code).toBe(0);
    expect(readFileSync(join(dir, '.unified-ws', 'pull-request.md'), 'utf8')).toContain(
      `on this branch (\`git checkout ${BRANCH}\`), \`npx unified-ws revert <step>\``,
    );
    git(dir, 'checkout', '-q', BRANCH);
    const reverted = await runCli(['revert', 'UWS002', dir]);
    expect(reverted.code).toBe(0);
    git(dir, 'checkout', '-q', 'main');
    const tip = git(dir, 'rev-parse', BRANCH);
    const again = await runCli(['campaign', dir, '--all', '--verify', 'true', '--json']);
    expect(again.code).toBe(0);
    const [o] = (
      JSON.parse(again.stdout) as {
        repositories: { outcome: string; reverted?: string[]; steps: { id: string }[] }[];
      }
    ).repositories;
    expect(o?.outcome).toBe('up-to-date');
    expect(o?.reverted).toEqual(['UWS002']);
    expect(o?.steps.map((s) => s.id)).toEqual(['UWS001', 'UWS003']);
    // Not made again: the branch is as the revert left it.
    expect(git(dir, 'rev-parse', BRANCH)).toBe(tip);
    const status = await runCli(['campaign', '--status', '--json', dir]);
    const [s] = (
      JSON.parse(status.stdout) as {
        repositories: { state: string; detail: string; steps: number }[];
      }
    ).repositories;
    expect(s).toMatchObject({ state: 'done', steps: 2 });
    expect(s?.detail).toContain('reverted by you: UWS002');
    // A step not yet made still is, one by one, and the reverted one stays out.
    const partial = consumer(defer);
    expect((await runCli(['campaign', partial, '--step', 'UWS002'])).code).toBe(0);
    git(partial, 'checkout', '-q', BRANCH);
    expect((await runCli(['revert', 'UWS002', partial])).code).toBe(0);
    git(partial, 'checkout', '-q', 'main');
    const rest = await runCli(['campaign', partial, '--all', '--json']);
    expect(rest.code).toBe(0);
    expect(steps(partial)).toEqual(['UWS003', 'UWS001', 'UWS002']);
    expect(
      git(partial, 'log', '--format=%s', `main..${BRANCH}`)
        .split('\n')
        .filter((l) => l.startsWith('Revert')),
    ).toHaveLength(1);
    expect(readFileSync(join(partial, 'src/a.ts'), 'utf8')).toBe(FILES['src/a.ts']);
  });

  it('resumes a killed run on a branch with a reverted step, leaving that step out', async () => {
    const dir = consumer(defer);
    expect((await runCli(['campaign', dir, '--step', 'UWS002'])).code).toBe(0);
    git(dir, 'checkout', '-q', BRANCH);
    expect((await runCli(['revert', 'UWS002', dir])).code).toBe(0);
    git(dir, 'checkout', '-q', 'main');
    const work = mkdtempSync(join(tmpdir(), 'uws-campaign-revert-kill-'));
    defer(() => rmSync(work, { recursive: true, force: true }));
    const hold = join(work, 'hold');
    writeFileSync(hold, '');
    const verify = `if [ -f '${hold}' ]; then echo $$ > '${work}'/verify.pid; sleep 60; fi`;
    const child = spawn(process.execPath, [BIN, 'campaign', dir, '--all', '--verify', verify], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const pidFile = join(work, 'verify.pid');
    try {
      for (let i = 0; i < 400 && !existsSync(pidFile); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(existsSync(pidFile)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await exited;
      if (existsSync(pidFile))
        try {
          process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
        } catch {
          // already gone
        }
    }
    expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(true);
    rmSync(hold);
    const again = await runCli(['campaign', dir, '--all', '--verify', verify, '--json']);
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { repositories: { reverted?: string[] }[] }).repositories[0]
        ?.reverted,
    ).toEqual(['UWS002']);
    expect(steps(dir)).toEqual(['UWS003', 'UWS001', 'UWS002']);
    expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(false);
  }, 30000);

  it('--status counts the steps of a campaign branch checked out with uncommitted changes, and says what to do', async () => {
    const dir = consumer(defer);
    expect((await runCli(['campaign', dir, '--all'])).code).toBe(0);
    git(dir, 'checkout', '-q', BRANCH);
    writeFileSync(join(dir, 'src/plain.ts'), 'export const nothing = 2;\n');
    const status = await runCli(['campaign', '--status', '--json', dir]);
    const [s] = (
      JSON.parse(status.stdout) as {
        repositories: { state: string; detail: string; steps: number }[];
      }
    ).repositories;
    expect(s).toMatchObject({ state: 'blocked', steps: 3 });
    expect(s?.detail).toContain(`on ${BRANCH} with uncommitted changes (src/plain.ts)`);
    expect(s?.detail).toContain('check out main');
    expect(s?.detail).not.toContain('run the campaign again to finish');
    // Clean on the branch: in progress, with its steps.
    git(dir, 'checkout', '-q', '--', 'src/plain.ts');
    const clean = await runCli(['campaign', '--status', '--json', dir]);
    expect(
      (JSON.parse(clean.stdout) as { repositories: { state: string; steps: number }[] })
        .repositories[0],
    ).toMatchObject({ state: 'in progress', steps: 3 });
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
