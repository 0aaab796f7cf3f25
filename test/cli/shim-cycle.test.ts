import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, useCleanup } from '../helpers';
import { commitAll, installUnifiedWs } from '../support/consumer';

// A "facade + drivers" group: the canonical Cache uses MemoryCache itself. Shimming MemoryCache
// as `export { Cache as MemoryCache } from './cache'` would make `new MemoryCache()` inside Cache
// a `new Cache()`: a module cycle tsc accepts and that recurses forever at run time. shim refuses.

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

const CACHE = `import { MemoryCache } from './memory-cache';

/** The one cache: a facade over its driver. */
export class Cache {
  private readonly driver = new MemoryCache();

  get(key: string): string | undefined {
    return this.driver.get(key);
  }

  set(key: string, value: string): void {
    this.driver.set(key, value);
  }
}
`;

const MEMORY = `/** Keeps values in a Map. */
export class MemoryCache {
  private readonly values = new Map<string, string>();

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
  }
}
`;

const NULL = `/** Keeps nothing. */
export class NullCache {
  get(_key: string): string | undefined {
    return undefined;
  }

  set(_key: string, _value: string): void {}
}
`;

const rename = (name: string) => ({
  name,
  rewrite: 'rename',
  canonical: 'Cache',
  replacement: "import { Cache } from './src/cache/cache.ts'",
});

const manifest = (files: string[], names: string[]) => ({
  package: '@acme/cache',
  canonical: './src/cache/cache.ts',
  entries: [
    {
      code: 'ACME020',
      files,
      summary: 'Cache drivers drafted as duplicates of the facade.',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: names.map(rename),
    },
  ],
});

describe('unified-ws shim refuses a canonical target that imports the legacy file', () => {
  const defer = useCleanup();

  function repo(files: Record<string, string>, json: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-shim-cycle-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const all: Record<string, string> = {
      'package.json': `${JSON.stringify({ name: '@acme/cache', version: '1.0.0', private: true })}\n`,
      '.gitignore': 'node_modules/\n',
      'consolidation.json': `${JSON.stringify(json, null, 2)}\n`,
      'src/cache/cache.ts': CACHE,
      'src/cache/memory-cache.ts': MEMORY,
      'src/cache/null-cache.ts': NULL,
      ...files,
    };
    for (const [path, text] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    installUnifiedWs(dir);
    commitAll(dir, 'the cache');
    return dir;
  }

  const shim = (dir: string, ...args: string[]) =>
    runCli(['shim', dir, '--manifest', join(dir, 'consolidation.json'), '--all', ...args]);
  const untouched = (dir: string) => {
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(dir, '.unified-ws'))).toBe(false);
  };

  it('MemoryCache and NullCache → Cache, where cache.ts does new MemoryCache(): exit 2, one line naming both files, nothing written', async () => {
    const dir = repo(
      {},
      manifest(
        ['src/cache/memory-cache.ts', 'src/cache/null-cache.ts'],
        ['MemoryCache', 'NullCache'],
      ),
    );
    for (const args of [[], ['--dry-run']]) {
      const result = await shim(dir, ...args);
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toBe(
        'src/cache/memory-cache.ts: ACME020 cannot be shimmed: its canonical target src/cache/cache.ts imports it, so re-exporting from src/cache/cache.ts would make a module cycle in which the canonical implementation uses itself under the legacy name; make src/cache/cache.ts stop using src/cache/memory-cache.ts first; nothing was written\n',
      );
      untouched(dir);
    }
  });

  it('through other repository files too (an index, a tsconfig alias, require), with the chain', async () => {
    const dir = repo(
      {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { baseUrl: '.', paths: { '@drivers': ['src/drivers/index.ts'] } },
        }),
        'src/cache/cache.ts': CACHE.replace("'./memory-cache'", "'@drivers'"),
        'src/drivers/index.ts':
          "export const drivers = { memory: () => require('../cache/memory-cache.js') };\nexport { MemoryCache } from './memory';\n",
        'src/drivers/memory.ts': "export { MemoryCache } from '../cache/memory-cache';\n",
      },
      manifest(['src/cache/memory-cache.ts'], ['MemoryCache']),
    );
    const result = await shim(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'its canonical target src/cache/cache.ts imports it (src/cache/cache.ts → src/drivers/index.ts → src/cache/memory-cache.ts)',
    );
    expect(result.stderr.split('\n')).toHaveLength(2);
    untouched(dir);
  });

  it('shims a driver the canonical does not use, and one it only imports as a type', async () => {
    const dir = repo(
      {
        'src/cache/cache.ts': `import type { MemoryCache } from './memory-cache';\n\n${CACHE.replace("import { MemoryCache } from './memory-cache';\n\n", '').replace('new MemoryCache()', 'new Map<string, string>()')}export type Driver = MemoryCache;\n`,
      },
      manifest(
        ['src/cache/memory-cache.ts', 'src/cache/null-cache.ts'],
        ['MemoryCache', 'NullCache'],
      ),
    );
    const result = await shim(dir, '--no-commit');
    expect([result.code, result.stdout]).toEqual([0, 'shim:ACME020: applied, 2 files changed\n']);
    expect(readFileSync(join(dir, 'src/cache/null-cache.ts'), 'utf8')).toContain(
      "  Cache as NullCache,\n} from './cache';\n",
    );
  });

  it('shims an entry whose exports are all manual: it re-exports nothing, so no cycle', async () => {
    const json = manifest(['src/cache/memory-cache.ts'], ['MemoryCache']) as {
      entries: { exports: unknown[] }[];
    };
    (json.entries[0] as { exports: unknown[] }).exports = [
      { name: 'MemoryCache', rewrite: 'manual', replacement: 'Cache from src/cache/cache.ts' },
    ];
    const dir = repo({}, json);
    const result = await shim(dir, '--no-commit');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'src/cache/memory-cache.ts'), 'utf8')).toContain(
      'export class MemoryCache',
    );
  });
});
