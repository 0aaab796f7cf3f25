import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, ExitError, exitCodeOf } from '../../src/cli/exit-error';
import { GitError } from '../../src/errors/git-error';
import { JournalError } from '../../src/errors/journal-error';
import { ManagerError } from '../../src/errors/manager-error';
import { ManifestError } from '../../src/errors/manifest-error';
import { OptionError } from '../../src/errors/option-error';
import { RunnerError } from '../../src/errors/runner-error';
import { runCli, tempProject, useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'src', 'cli', 'index.js');

describe('CLI basics', () => {
  const defer = useCleanup();

  const tempRepo = (files: Record<string, string>) => tempProject(defer, files, 'uws-basics-');

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const run = await runCli([flag]);
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it.each([
    [
      ['migrate', '--dryrun'],
      'unknown option --dryrun (did you mean --dry-run?): run "unified-ws migrate --help" for its options\n',
    ],
    [
      ['check', '--baseln', 'x'],
      'unknown option --baseln (did you mean --baseline?): run "unified-ws check --help" for its options\n',
    ],
    [
      ['audit', '--zzzzzzzz'],
      'unknown option --zzzzzzzz: run "unified-ws audit --help" for its options\n',
    ],
    [
      ['mgirate'],
      'unknown command "mgirate" (did you mean migrate?): run "unified-ws --help" for the commands\n',
    ],
  ])('%j is one line naming the closest valid word, exit 2', async (argv, line) => {
    const run = await runCli(argv);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toBe(line);
  });

  it('says "1 file", not "1 files"', async () => {
    const dir = tempRepo({
      'src/a.ts':
        "import { WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\n",
    });
    const run = await runCli(['check', dir]);
    expect(run.code).toBe(EXIT.FAILURE);
    expect(run.stdout).toContain('1 legacy use in 1 file\n');
  });

  it('survives a closed pipe: `check | head -1` exits with check’s own code and prints no stack', () => {
    // Enough output that the pipe closes while check is still writing.
    const files: Record<string, string> = {};
    const lines = Array.from(
      { length: 20 },
      (_, j) =>
        `import { WebSocketManager as M${j} } from 'unified-ws/websocket-core/websocket-manager';\n`,
    );
    for (let i = 0; i < 400; i++) files[`src/f${i}.ts`] = lines.join('');
    const dir = tempRepo(files);
    const result = spawnSync(
      'bash',
      [
        '-c',
        `node ${JSON.stringify(BIN)} check ${JSON.stringify(dir)} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`,
      ],
      { encoding: 'utf8' },
    );
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toBe('exit=1\n');
  });

  it('lets a slow pipe take all of its output before it exits', () => {
    const lines = Array.from(
      { length: 20 },
      (_, j) =>
        `import { WebSocketManager as M${j} } from 'unified-ws/websocket-core/websocket-manager';\n`,
    );
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`src/f${i}.ts`] = lines.join('');
    const dir = tempRepo(files);
    const out = join(dir, 'out.txt');
    const run = (pipe: string) =>
      spawnSync(
        'bash',
        ['-c', `node ${JSON.stringify(BIN)} check ${JSON.stringify(dir)} ${pipe}`],
        {
          encoding: 'utf8',
        },
      ).stdout.trim();
    const direct = Number(run(`> ${JSON.stringify(out)}; wc -c < ${JSON.stringify(out)}`));
    expect(direct).toBeGreaterThan(256 * 1024);
    // A reader slower than the writer: everything still arrives.
    expect(Number(run('| (sleep 0.3; cat) | wc -c'))).toBe(direct);
  });

  it('turns a manifest it cannot read into exit 2 with one message, not a stack', async () => {
    const dir = tempRepo({ 'bad.json': '{ "package": 1 }' });
    for (const argv of [
      ['check', dir, '--manifest', join(dir, 'bad.json')],
      ['audit', dir, '--manifest', join(dir, 'missing.json')],
    ]) {
      const run = await runCli(argv);
      expect(run.code).toBe(EXIT.USAGE);
      expect(run.stderr).toMatch(/is not a valid manifest/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it.each([
    ['an ExitError', new ExitError(1, 'x'), EXIT.FAILURE],
    ['an invalid manifest', new ManifestError('m.json', ['$: bad']), EXIT.USAGE],
    ['a corrupt journal', new JournalError('j', 'corrupt'), EXIT.USAGE],
    ['a bad option', new OptionError('bad'), EXIT.USAGE],
    ['git refusing', new GitError(['commit'], 'nothing to commit'), EXIT.FAILURE],
    ['a lost codemod worker', new RunnerError('worker exited'), EXIT.INTERNAL],
    ['another typed error', new ManagerError('UWS_ERR_MANAGER_CLOSED'), EXIT.INTERNAL],
    ['a plain bug', new TypeError('x is undefined'), EXIT.INTERNAL],
  ])('maps %s to its exit code in one place', (_what, error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });
});
