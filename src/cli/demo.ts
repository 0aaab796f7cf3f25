import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPackage } from '../deprecation/package-info';
import type { Command, CommandContext } from './command';
import { EXIT, ExitError } from './exit-error';
import { parse } from './parse';

const usage = `Usage: unified-ws demo [--keep]

The consolidation on the bundled example (examples/legacy-app, a chat backend written against the
legacy surface, with a hand-rolled socket server of its own): copies it to a temporary git
repository, runs its tests on the shims to collect deprecation telemetry, then audit (which finds
the team's duplicate and drafts a manifest for it) → shim (the duplicate becomes a thin re-export
that warns) → migrate step by step (each verified by the app's type-check and tests) → check (and
--identity) → report, then reverts one step to show that it is reversible. The app is built with
source maps, so call sites read src/server.ts:11:18. --keep leaves the temporary directory in place
(the repository, the drafted manifest and the telemetry of each run) and prints the commands that
render the telemetry as a report page.`;

/** An argument as a shell takes it back. */
const quoted = (arg: string) => (/[\s'"$`\\]/.test(arg) ? `'${arg.replace(/'/g, `'\\''`)}'` : arg);

/**
 * What --keep leaves in `dir` (a failed run too), and the commands that render its telemetry as a
 * report page: of the legacy app for unified-ws's codes, and on the team's shim for its own.
 */
function kept(dir: string, root: string): string {
  // From the checkout the demo runs in, npx finds this package's bin; elsewhere, node runs it.
  const cli =
    resolve(process.cwd()) === resolve(root)
      ? 'npx unified-ws'
      : `node ${quoted(join(root, 'dist', 'src', 'cli', 'index.js'))}`;
  const telemetry = (name: string) => join(dir, 'telemetry', `${name}.jsonl`);
  const manifest = join(dir, 'unified-ws.manifest.json');
  const pages: [argv: string[], page: string][] = [];
  if (existsSync(telemetry('before'))) pages.push([['report', telemetry('before')], 'report.html']);
  if (existsSync(telemetry('shimmed')) && existsSync(manifest))
    pages.push([['report', telemetry('shimmed'), '--manifest', manifest], 'report-team.html']);
  const commands = pages.map(
    ([argv, page]) => `  ${cli} ${[...argv, '--html', join(dir, page)].map(quoted).join(' ')}\n`,
  );
  return (
    `\nkept in ${dir}: the demo repository (legacy-app), the drafted manifest, and the telemetry of each run (telemetry/before.jsonl: the legacy app, shimmed.jsonl: on the team's shim, after.jsonl: migrated)\n` +
    (commands.length > 0
      ? `the telemetry as a report page (the legacy app's, then the team's own code):\n${commands.join('')}`
      : '')
  );
}

/** Runs a command of this CLI in the demo repository, showing its output under a heading. */
async function step(io: CommandContext, title: string, argv: string[]): Promise<number> {
  const shown = argv.map(quoted).join(' ');
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

/** Runs `body` with these environment variables set (the verify commands it starts inherit them). */
async function withEnvironment<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  }
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

      // The drafted manifest lives beside the repository: a file in it would make the tree dirty.
      const manifest = join(dir, 'unified-ws.manifest.json');
      const telemetry = (name: string) => join(dir, 'telemetry', `${name}.jsonl`);
      await step(io, '2. what legacy code is there, and which duplicates of our own?', [
        'audit',
        app,
        '--draft-manifest',
        manifest,
      ]);
      io.stdout.write(
        `\nthe drafted manifest (a person reviews it; the demo takes it as it is):\n${readFileSync(manifest, 'utf8')}`,
      );
      await step(io, 'telemetry from that run', ['report', telemetry('before')]);
      // The shim step's verify runs the app's tests on the new shim: its telemetry shows the
      // team's code warned and counted like unified-ws's own.
      const shimmed = await withEnvironment(
        { UNIFIED_WS_TELEMETRY_FILE: telemetry('shimmed'), UNIFIED_WS_DEPRECATIONS: 'silent' },
        () =>
          step(io, "3. the team's duplicate becomes a thin shim (one verified commit)", [
            'shim',
            app,
            '--manifest',
            manifest,
            '--all',
            '--verify',
            verify,
          ]),
      );
      if (shimmed !== EXIT.OK) return shimmed;
      io.stdout.write(
        run(app, 'git show --format= HEAD -- src/presence/connection-hub.ts | head -30').output,
      );
      await step(io, "telemetry of the tests on the shim: the team's code, warned and counted", [
        'report',
        telemetry('shimmed'),
        '--manifest',
        manifest,
      ]);
      const migrated = await step(
        io,
        "4. migrate unified-ws's legacy imports, one verified commit per step",
        ['migrate', app, '--all', '--verify', verify],
      );
      if (migrated !== EXIT.OK) return migrated;
      const moved = await step(io, "5. move the duplicate's consumers to unified-ws", [
        'migrate',
        app,
        '--manifest',
        manifest,
        '--all',
        '--verify',
        verify,
      ]);
      if (moved !== EXIT.OK) return moved;
      io.stdout.write(run(app, 'git log --format="  %h %s" -n 12').output);

      await step(io, '6. what is left (markers where no rewrite is safe)', ['check', app]);
      await step(io, 'one implementation: every legacy export is the canonical object', [
        'check',
        app,
        '--manifest',
        manifest,
        '--identity',
      ]);
      const after = run(app, verify, {
        UNIFIED_WS_TELEMETRY_FILE: telemetry('after'),
        UNIFIED_WS_DEPRECATIONS: 'silent',
      });
      io.stdout.write(
        after.ok
          ? '\nthe migrated app type-checks and its tests pass\n'
          : `\nthe migrated app failed:\n${after.output}`,
      );
      await step(io, '7. which shims are still used after the migration', [
        'report',
        telemetry('after'),
      ]);
      await step(io, "and the team's own", ['report', telemetry('after'), '--manifest', manifest]);
      await step(io, '8. every step is reversible', ['revert', '--last', app]);
      io.stdout.write(run(app, 'git log --format="  %h %s" -n 2').output);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.stdout.write(
        `\ndone in ${seconds} s: the app ran on the shims, its own duplicate became a thin shim, it was migrated in verified, committed steps, kept passing its tests, and one step was reverted.\nthe canonical layer in a browser: npx unified-ws serve --dev-auth, then open http://127.0.0.1:8080/\n`,
      );
      return after.ok ? EXIT.OK : EXIT.FAILURE;
    } finally {
      if (values.keep) io.stdout.write(kept(dir, root));
      else rmSync(dir, { recursive: true, force: true });
    }
  },
};
