import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

// A consumer repository of unified-ws in a temp dir, as tests of shim and migrate build one:
// unified-ws installed (this checkout, built) and the repository committed by a test identity.

const ROOT = join(__dirname, '..', '..');

/**
 * node_modules/unified-ws → this checkout; with `types`, also ws and Node's and ws's types, so the
 * repository's own tsc and tests run as after an install.
 */
export function installUnifiedWs(dir: string, options: { types?: boolean } = {}): void {
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'unified-ws'), 'dir');
  if (!options.types) return;
  symlinkSync(join(ROOT, 'node_modules', 'ws'), join(dir, 'node_modules', 'ws'), 'dir');
  for (const types of ['node', 'ws'])
    symlinkSync(
      join(ROOT, 'node_modules', '@types', types),
      join(dir, 'node_modules', '@types', types),
      'dir',
    );
}

/** git init on main with a test identity, and everything committed as `message`. */
export function commitAll(dir: string, message: string): void {
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Tess Ter');
  git('config', 'user.email', 'tess@example.com');
  git('add', '-A');
  git('commit', '-qm', message);
}
