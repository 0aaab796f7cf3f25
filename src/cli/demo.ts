import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPackage } from '../deprecation/package-info';
import type { Command, CommandContext } from './command';
import { EXIT, ExitError } from './exit-error';
import { parse } from './parse';

const usage = `Usage: unified-ws demo [--keep]

The consolidation on the bundled example (examples/legacy-app, a chat backend written against the
legacy surface): copies it to a temporary git repository, runs its tests on the shims to collect
deprecation telemetry, then audit → migrate step by step (each verified by the app's type-check
and tests) → check → report, then reverts one step to show that it is reversible. --keep leaves
the temporary repository in place.`;

/** Runs a command of this CLI in the demo repository, showing its output under a heading. */
async function step(io: CommandContext, title: string, argv: string[]): Promise<number> {
  const shown = argv.map((arg) => (/\s/.test(arg) ? `'${arg}'` : arg)).join(' ');
  io.stdout.write(`\n── ${title}\n$ unified-ws ${shown}\n`);
  return io.run(argv);
}

function run(
  cwd: string,
  command: string,
  env: NodeJS.ProcessEnv = {},
): { ok: boolean; output: string } {
  const result = spawnSync(command, {
    cwd,
    shell: true,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export const demo: Command = {
  summary: 'migrate the bundled legacy app step by step (what npm start runs)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, { keep: { type: 'boolean' } }, 'demo');
    const started = performance.now();
    const root = findPackage().root;
    const example = join(root, 'examples', 'legacy-app');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(example) || !existsSync(tsc))
      throw new ExitError(
        EXIT.FAILURE,
        'the demo runs from a checkout of unified-ws with its dev dependencies (npm ci)',
      );
    const dir = mkdtempSync(join(tmpdir(), 'unified-ws-demo-'));
    const app = join(dir, 'legacy-app');
    try {
      cpSync(example, app, { recursive: true });
      // The app resolves unified-ws, ws and Node's types from this checkout, as an install would.
      mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
      symlinkSync(root, join(app, 'node_modules', 'unified-ws'), 'dir');
      symlinkSync(join(root, 'node_modules', 'ws'), join(app, 'node_modules', 'ws'), 'dir');
      for (const types of ['node', 'ws'])
        symlinkSync(
          join(root, 'node_modules', '@types', types),
          join(app, 'node_modules', '@types', types),
          'dir',
        );
      run(
        app,
        'git init -q -b main && printf "node_modules/\\nbuild/\\n" > .gitignore && git config user.name "unified-ws demo" && git config user.email demo@localhost && git add -A && git commit -qm "the legacy app"',
      );
      io.stdout.write(`legacy app copied to ${app} (a git repository)\n`);

      const verify = `node ${JSON.stringify(tsc)} -p . && node --test build`;
      io.stdout.write('\n── 1. run the app on the shims, collecting deprecation telemetry\n');
      const before = run(app, verify, {
        UNIFIED_WS_TELEMETRY_FILE: join(dir, 'telemetry', 'before.jsonl'),
        UNIFIED_WS_DEPRECATIONS: 'silent',
      });
      io.stdout.write(
        before.ok
          ? 'the app type-checks and its tests pass on the legacy surface\n'
          : `the app's tests failed:\n${before.output}`,
      );
      if (!before.ok) return EXIT.FAILURE;

      await step(io, '2. what legacy code is there?', ['audit', app]);
      await step(io, 'telemetry from that run', ['report', join(dir, 'telemetry', 'before.jsonl')]);
      const migrated = await step(io, '3. migrate, one verified commit per step', [
        'migrate',
        app,
        '--all',
        '--verify',
        verify,
      ]);
      if (migrated !== EXIT.OK) return migrated;
      io.stdout.write(run(app, 'git log --format="  %h %s" -n 10').output);

      await step(io, '4. what is left (markers where no rewrite is safe)', ['check', app]);
      const after = run(app, verify, {
        UNIFIED_WS_TELEMETRY_FILE: join(dir, 'telemetry', 'after.jsonl'),
        UNIFIED_WS_DEPRECATIONS: 'silent',
      });
      io.stdout.write(
        after.ok
          ? '\nthe migrated app type-checks and its tests pass\n'
          : `\nthe migrated app failed:\n${after.output}`,
      );
      await step(io, '5. which shims are still used after the migration', [
        'report',
        join(dir, 'telemetry', 'after.jsonl'),
      ]);
      await step(io, '6. every step is reversible', ['revert', '--last', app]);
      io.stdout.write(run(app, 'git log --format="  %h %s" -n 2').output);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.stdout.write(
        `\ndone in ${seconds} s: the app ran on the shims, was migrated in verified, committed steps, kept passing its tests, and one step was reverted.\n`,
      );
      if (values.keep) io.stdout.write(`the demo repository is kept at ${app}\n`);
      return after.ok ? EXIT.OK : EXIT.FAILURE;
    } finally {
      if (!values.keep) rmSync(dir, { recursive: true, force: true });
    }
  },
};
