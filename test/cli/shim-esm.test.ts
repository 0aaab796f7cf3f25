import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, useCleanup } from '../helpers';
import { commitAll, installUnifiedWs } from '../support/consumer';

// `unified-ws shim` in an ES module repository ("type": "module", module/moduleResolution
// nodenext), where TypeScript requires relative specifiers with their extension: a shim whose
// canonical target is a repository file re-exports it as `../core/store.js`, even when the legacy
// file has no relative import of its own to copy the convention from.

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const STORE = `/** The one key-value store. */
export class Store {
  private readonly values = new Map<string, string>();

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string): this {
    this.values.set(key, value);
    return this;
  }
}
`;

const LEGACY_STORE = `/** Our first store, before core/ had one. */
export class Store {
  private readonly values: Record<string, string> = {};

  get(key: string): string | undefined {
    return this.values[key];
  }

  set(key: string, value: string): this {
    this.values[key] = value;
    return this;
  }
}

/** How many keys a store holds at most. */
export const MAX_KEYS = 1000;
`;

const MANIFEST = {
  package: '@acme/kv',
  canonical: './src/core/store.ts',
  entries: [
    {
      code: 'ACME010',
      files: ['src/legacy/store.ts'],
      summary: 'The store before core/ had one.',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: [
        {
          name: 'Store',
          rewrite: 'same-object',
          canonical: 'Store',
          replacement: "import { Store } from './src/core/store.ts'",
        },
        { name: 'MAX_KEYS', rewrite: 'stays' },
      ],
    },
  ],
};

interface Options {
  /** compilerOptions over the default nodenext ones. */
  compilerOptions?: Record<string, unknown>;
  /** Files over the default ones (undefined: leave the file out). */
  files?: Record<string, string | undefined>;
}

describe('unified-ws shim in an ES module (NodeNext) repository', () => {
  const defer = useCleanup();

  function repo(options: Options = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-shim-esm-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const all: Record<string, string | undefined> = {
      'package.json': `${JSON.stringify({ name: '@acme/kv', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
      'tsconfig.json': `${JSON.stringify(
        {
          compilerOptions: {
            target: 'es2022',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            strict: true,
            outDir: 'build',
            rootDir: 'src',
            types: ['node'],
            ...options.compilerOptions,
          },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
      '.gitignore': 'node_modules/\nbuild/\n',
      'consolidation.json': `${JSON.stringify(MANIFEST, null, 2)}\n`,
      'src/core/store.ts': STORE,
      'src/legacy/store.ts': LEGACY_STORE,
      // Imports the legacy store through a package subpath import: no file of the repository
      // writes a relative import, so only the configuration tells the convention.
      'src/main.ts': `import { MAX_KEYS, Store } from '#legacy-store';\n\nconst store = new Store().set('a', 'b');\nconsole.log(store.get('a'), MAX_KEYS);\n`,
      ...options.files,
    };
    const pkg = JSON.parse(all['package.json'] as string) as Record<string, unknown>;
    pkg.imports = { '#legacy-store': './build/legacy/store.js' };
    all['package.json'] = `${JSON.stringify(pkg, null, 2)}\n`;
    for (const [path, text] of Object.entries(all)) {
      if (text === undefined) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    installUnifiedWs(dir, { types: true });
    commitAll(dir, 'the store');
    return dir;
  }

  const tsc = (dir: string) =>
    spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, encoding: 'utf8' });
  const shim = (dir: string) =>
    runCli(['shim', dir, '--manifest', join(dir, 'consolidation.json'), '--all']);
  const reExport = (dir: string) =>
    /export \{[\s\S]*?\} from '([^']+)';/.exec(
      readFileSync(join(dir, 'src/legacy/store.ts'), 'utf8'),
    )?.[1];

  it('re-exports ../core/store.js when only tsconfig and package.json tell: tsc passes, and it runs', async () => {
    const dir = repo();
    expect(tsc(dir).status).toBe(0);
    const result = await shim(dir);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(reExport(dir)).toBe('../core/store.js');
    const compiled = tsc(dir);
    expect([compiled.status, compiled.stdout]).toEqual([0, '']);
    const run = spawnSync(process.execPath, ['build/main.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, UNIFIED_WS_DEPRECATIONS: 'silent' },
    });
    expect([run.status, run.stdout, run.stderr]).toEqual([0, 'b 1000\n', '']);
  }, 60_000);

  it('re-exports ../core/store.ts where the tsconfig rewrites relative .ts imports', async () => {
    const dir = repo({ compilerOptions: { rewriteRelativeImportExtensions: true } });
    const result = await shim(dir);
    expect(result.code).toBe(0);
    expect(reExport(dir)).toBe('../core/store.ts');
    expect(tsc(dir).stdout).toBe('');
  }, 60_000);

  it("follows the other files' relative imports first (extensionless in a CommonJS package)", async () => {
    const dir = repo({
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: 'node10',
        ignoreDeprecations: '6.0',
      },
      files: {
        'package.json': `${JSON.stringify({ name: '@acme/kv', version: '1.0.0', private: true }, null, 2)}\n`,
        'src/main.ts': `import { MAX_KEYS, Store } from './legacy/store';\n\nconsole.log(new Store().set('a', 'b').get('a'), MAX_KEYS);\n`,
      },
    });
    const result = await shim(dir);
    expect(result.code).toBe(0);
    expect(reExport(dir)).toBe('../core/store');
  }, 60_000);
});
