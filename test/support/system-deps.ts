import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

/**
 * A program the tests run that npm does not install: `npm test` must pass on a fresh machine with
 * nothing installed by hand, so each one says where to find it and how to install it.
 */
export interface SystemTool {
  /** Who needs it, for the messages: "the Redis tests". */
  neededBy: string;
  /** Executable names to look for on PATH, preferred first (distributions name some apart). */
  binaries: readonly [string, ...string[]];
  /** An npm package that ships the executable, and the executable's path inside the package. */
  npm?: { package: string; executable: string };
  /** Debian's package that puts one of `binaries` on PATH. */
  debian: string;
  /** What follows `brew install` on macOS, for the hint only (`redis`, `--cask chromium`). */
  brew?: string;
}

/** Every system program the tests need; the global setup ensures each once per run. */
export const SYSTEM_TOOLS = {
  // No npm package ships a prebuilt redis-server: redis-memory-server compiles one from a download.
  redisServer: {
    neededBy: 'the Redis tests',
    binaries: ['redis-server'],
    debian: 'redis-server',
    brew: 'redis',
  },
  // The browser of the HTML report's tests, driven by puppeteer-core (which downloads no browser).
  // No npm package ships a Chromium binary: puppeteer's own download comes from outside npm.
  chromium: {
    neededBy: 'the HTML report tests',
    binaries: ['chromium', 'chromium-browser'],
    debian: 'chromium',
    brew: '--cask chromium',
  },
} satisfies Record<string, SystemTool>;

export interface EnsureOptions {
  /** The PATH to search; process.env.PATH by default. */
  path?: string;
  /** Where the node_modules lookup starts (then each parent, as Node does); the repository root. */
  root?: string;
  /** Whether apt-get may install the Debian package; by default when `aptAvailable()`. */
  apt?: boolean;
}

/** What the thrown errors carry, so a caller can tell a missing program from a failing test. */
export const MISSING_SYSTEM_TOOL = 'UWS_TEST_MISSING_SYSTEM_TOOL';

export class MissingSystemToolError extends Error {
  readonly code = MISSING_SYSTEM_TOOL;
}

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/**
 * The absolute path of the tool's executable: from PATH, else from an installed npm package, else
 * installed with apt-get when that is allowed. Throws a MissingSystemToolError whose message is one
 * line naming what to install; never returns without a path, because a skipped test proves nothing.
 */
export function ensureSystemTool(tool: SystemTool, options: EnsureOptions = {}): string {
  const path = options.path ?? process.env.PATH ?? '';
  const found = findOnPath(tool.binaries, path) ?? findInNodeModules(tool, options.root);
  if (found !== undefined) return found;
  if (!(options.apt ?? aptAvailable())) {
    throw new MissingSystemToolError(
      `${missing(tool)}: install it (${installHints(tool)}), ${AGAIN}`,
    );
  }
  aptInstall(tool);
  const installed = findOnPath(tool.binaries, path);
  if (installed !== undefined) return installed;
  throw new MissingSystemToolError(
    `${missing(tool)} after apt-get install ${tool.debian}: put it on PATH, ${AGAIN}`,
  );
}

/** apt-get can install packages: root on Debian or Ubuntu (a CI container, a fresh machine). */
export function aptAvailable(): boolean {
  return (
    process.getuid?.() === 0 &&
    existsSync('/etc/debian_version') &&
    findOnPath(['apt-get'], process.env.PATH ?? '') !== undefined
  );
}

/** The first of `names` that is an executable file in a directory of `path`. */
export function findOnPath(names: readonly string[], path: string): string | undefined {
  // Empty entries mean the working directory to a shell: never take a program from there.
  const dirs = path.split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const file = join(resolve(dir), name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

function findInNodeModules(tool: SystemTool, root = REPOSITORY_ROOT): string | undefined {
  if (tool.npm === undefined) return undefined;
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', tool.npm.package, tool.npm.executable);
    if (isExecutable(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const AGAIN = 'then run npm test again';

function missing(tool: SystemTool): string {
  const [first, ...others] = tool.binaries;
  const names = others.length === 0 ? first : `${first} (or ${others.join(', ')})`;
  return `${names} is needed by ${tool.neededBy} and is not on PATH`;
}

function installHints(tool: SystemTool): string {
  const hints = [`Debian/Ubuntu: apt-get install ${tool.debian}`];
  if (tool.brew !== undefined) hints.push(`macOS: brew install ${tool.brew}`);
  if (tool.npm !== undefined) hints.push(`or npm install --save-dev ${tool.npm.package}`);
  return hints.join('; ');
}

/**
 * Installs the Debian package, saying so on one line: apt-get's own output only appears when it
 * fails, so a passing run stays as quiet as on a machine that had the package already.
 */
function aptInstall(tool: SystemTool): void {
  process.stderr.write(
    `unified-ws tests: installing ${tool.debian} with apt-get (needed by ${tool.neededBy})…\n`,
  );
  // Waits for the dpkg lock instead of failing at once when another apt-get is running.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const steps = [
    ['update', '-qq', ...lock],
    ['install', '-y', '-qq', '--no-install-recommends', ...lock, tool.debian],
  ];
  for (const args of steps) {
    const result = spawnSync('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error === undefined && result.status === 0) continue;
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    const outcome = result.error?.message ?? `exited with ${result.status ?? result.signal}`;
    const failed = `apt-get ${args[0]} failed (${outcome}; its output is above)`;
    throw new MissingSystemToolError(
      `${missing(tool)} and ${failed}: install it (${installHints(tool)}), ${AGAIN}`,
    );
  }
}
