// bench/codemod: the unified-ws codemod runner against a naive jscodeshift transform over every
// file and against ast-grep, on the same generated corpus, in one script; then what a user runs —
// `unified-ws migrate --all --no-commit` (the CLI: planning, one step per code, journal, atomic
// writes) on the corpus in a temporary git repository — against ast-grep again, alternating, best
// of BENCH_RUNS each; then the runner on a tree ten times larger with the same number of candidate
// files. Prints wall times, ratios and whether the resulting trees are identical. Local files
// only; bounded by the corpus size.
// Run: npm run bench:codemod   (BENCH_FILES=5000 BENCH_LARGE=50000 BENCH_RUNS=3 by default)
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { legacyToCanonical } from '../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../src/migration/codemod/module-resolver';
import { MANIFEST } from '../src/manifest/builtin';
import { runCodemod } from '../src/migration/runner';
import { LEGACY_SNIPPETS, writeCorpus } from './corpus';

const ROOT = join(__dirname, '..', '..');
const FILES = Number(process.env.BENCH_FILES ?? 5000);
const LARGE = Number(process.env.BENCH_LARGE ?? 50_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const FRACTION = 0.05;
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** The marker line the unified-ws codemod writes for each marked snippet: the baselines reuse it. */
function markers(): Record<string, string> {
  const resolver = new ModuleResolver(MANIFEST);
  const found: Record<string, string> = {};
  for (const snippet of LEGACY_SNIPPETS) {
    const result = legacyToCanonical(`${snippet}\n`, 'snippet.ts', resolver);
    const line = result.output.split('\n').find((l) => l.startsWith('// unified-ws('));
    if (line) found[/unified-ws\((\w+)\)/.exec(line)?.[1] as string] = line;
  }
  return found;
}

function astGrepRules(marker: Record<string, string>): string {
  const rule = (id: string, pattern: string, fix: string) =>
    `id: ${id}\nlanguage: TypeScript\nrule:\n  pattern: ${JSON.stringify(pattern)}\nfix: ${JSON.stringify(fix)}\n`;
  return [
    rule(
      'factory-import',
      "import { WebSocketManagerFactory } from 'unified-ws/websocket-core/websocket-manager-factory';",
      "import { getWebSocketManager } from 'unified-ws';",
    ),
    rule(
      'factory-call',
      'WebSocketManagerFactory.createManager($A)',
      'getWebSocketManager().forUser($A)',
    ),
    rule(
      'unified-alias',
      "import { UnifiedWebSocketManager as $L } from 'unified-ws/websocket-core/unified-manager';",
      "import { WebSocketManager as $L } from 'unified-ws';",
    ),
    rule(
      'protocol-type',
      "import type { WebSocketManagerProtocol } from 'unified-ws/websocket-core/protocols';",
      "import type { WebSocketManager as WebSocketManagerProtocol } from 'unified-ws';",
    ),
    rule(
      'dynamic',
      "import('unified-ws/websocket-core/websocket-manager')",
      "import('unified-ws')",
    ),
    rule(
      'manager-namespace',
      "import * as $N from 'unified-ws/websocket-core/manager';",
      `${marker.UWS003}\nimport * as $N from 'unified-ws/websocket-core/manager';`,
    ),
    rule(
      'adapter-require',
      "const { LegacyWebSocketManagerAdapter } = require('unified-ws/websocket-core/protocols');",
      `${marker.UWS005}\nconst { LegacyWebSocketManagerAdapter } = require('unified-ws/websocket-core/protocols');`,
    ),
    rule(
      'adapter-export',
      "export { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';",
      `${marker.UWS006}\nexport { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';`,
    ),
  ].join('---\n');
}

function timed(label: string, fn: () => void): number {
  const started = performance.now();
  fn();
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s`);
  return seconds;
}

function command(file: string, args: string[]): void {
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${file} failed: ${result.stderr.slice(0, 2000)}`);
}

/** Every file of a tree, relative path → text (a repository's .git, node_modules, .gitignore aside). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      if (d === dir && ['.git', 'node_modules', '.gitignore', '.unified-ws'].includes(name))
        continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) visit(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  visit(dir);
  return files;
}

function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...a].filter(([path, text]) => b.get(path) !== text).map(([path]) => path);
}

async function runner(dir: string): Promise<number> {
  const started = performance.now();
  const report = await runCodemod({ root: dir });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  ${`unified-ws runner (${report.candidates} candidates of ${report.scanned}, ${report.workers} workers)`.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s`,
  );
  return seconds;
}

/** The corpus as a git repository with unified-ws installed, as `migrate` expects a project. */
function repository(corpus: string, dir: string): void {
  cpSync(corpus, dir, { recursive: true });
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  const installed = join(dir, 'node_modules', 'unified-ws');
  mkdirSync(installed, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
  const git = (...args: string[]) => command('git', ['-C', dir, ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'corpus');
}

/** `unified-ws migrate --all --no-commit` on the repository, as a user runs it (a new process). */
function cli(dir: string): number {
  command('git', ['-C', dir, 'reset', '-q', '--hard']);
  return timed('unified-ws migrate --all --no-commit (CLI)', () =>
    command(process.execPath, [
      join(ROOT, 'dist', 'src', 'cli', 'index.js'),
      'migrate',
      dir,
      '--all',
      '--no-commit',
    ]),
  );
}

function astGrepRun(corpus: string, dir: string, rules: string): number {
  rmSync(dir, { recursive: true, force: true });
  cpSync(corpus, dir, { recursive: true });
  return timed('ast-grep scan --update-all', () =>
    command(bin('ast-grep'), ['scan', '--rule', rules, '--update-all', dir]),
  );
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'uws-bench-codemod-'));
  try {
    const corpus = join(work, 'corpus');
    const candidates = writeCorpus(corpus, FILES, FRACTION);
    console.log(
      `codemod on ${FILES} generated TypeScript files, ${candidates} with legacy imports; node ${process.version}\n`,
    );
    const trees = Object.fromEntries(
      ['runner', 'jscodeshift', 'astgrep'].map((name) => [name, join(work, name)]),
    );
    for (const dir of Object.values(trees)) cpSync(corpus, dir, { recursive: true });
    const markerFile = join(work, 'markers.json');
    writeFileSync(markerFile, JSON.stringify(markers()));
    const rules = join(work, 'rules.yml');
    writeFileSync(rules, astGrepRules(markers()));

    const ours = await runner(trees.runner as string);
    const naive = timed('naive jscodeshift (--parser=ts, 2 workers)', () =>
      command(process.execPath, [
        join(ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js'),
        '-t',
        join(ROOT, 'bench', 'naive-transform.cjs'),
        '--parser=ts',
        '--extensions=ts',
        '--cpus=2',
        '--silent',
        `--markers=${markerFile}`,
        trees.jscodeshift as string,
      ]),
    );
    const astGrep = timed('ast-grep scan --update-all', () =>
      command(bin('ast-grep'), ['scan', '--rule', rules, '--update-all', trees.astgrep as string]),
    );

    const result = snapshot(trees.runner as string);
    const vsNaive = differences(result, snapshot(trees.jscodeshift as string));
    const vsAstGrep = differences(result, snapshot(trees.astgrep as string));
    console.log(
      `\n  identical trees: jscodeshift ${vsNaive.length === 0 ? 'yes' : `no (${vsNaive.length} files differ, e.g. ${vsNaive[0]})`}, ast-grep ${vsAstGrep.length === 0 ? 'yes' : `no (${vsAstGrep.length} files differ, e.g. ${vsAstGrep[0]})`}`,
    );
    console.log(
      `  runner vs naive jscodeshift: ${(naive / ours).toFixed(1)}x faster (target >= 30x)`,
    );
    console.log(`  runner / ast-grep wall time: ${(ours / astGrep).toFixed(2)} (target <= 0.5)`);

    console.log(
      `\nthe CLI, as a user runs it, against ast-grep: ${RUNS} runs each, alternating (other load on the machine moves single runs)`,
    );
    const repo = join(work, 'repo');
    repository(corpus, repo);
    const cliTimes: number[] = [];
    const astGrepTimes: number[] = [astGrep];
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) astGrepTimes.push(astGrepRun(corpus, trees.astgrep as string, rules));
      cliTimes.push(cli(repo));
    }
    const viaCli = differences(result, snapshot(repo));
    const bestCli = Math.min(...cliTimes);
    const bestAstGrep = Math.min(...astGrepTimes);
    console.log(
      `\n  identical trees: CLI ${viaCli.length === 0 ? 'yes' : `no (${viaCli.length} files differ, e.g. ${viaCli[0]})`}`,
    );
    console.log(
      `  CLI / ast-grep wall time, run by run: ${cliTimes.map((t, i) => (t / (astGrepTimes[i] as number)).toFixed(2)).join(', ')}`,
    );
    console.log(
      `  CLI / ast-grep wall time, best of each: ${(bestCli / bestAstGrep).toFixed(2)} (${bestCli.toFixed(2)} s / ${bestAstGrep.toFixed(2)} s; target <= 0.25)`,
    );

    for (const name of ['jscodeshift', 'astgrep', 'repo'])
      rmSync(join(work, name), { recursive: true, force: true });
    const large = join(work, 'large');
    writeCorpus(large, LARGE, FRACTION, 2, candidates);
    console.log(`\nscaling: ${LARGE} files with the same ${candidates} candidates`);
    const fresh = join(work, 'small-again');
    writeCorpus(fresh, FILES, FRACTION, 2, candidates);
    const small = await runner(fresh);
    const big = await runner(large);
    console.log(
      `  ${LARGE / FILES}x the files, ${(big / small).toFixed(2)}x the time: the cost follows the candidates, plus a read of every file`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
