import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { tempProject, useCleanup } from '../helpers';

// Issue 14: unified-ws/client ships ES modules a browser loads with <script type="module"> straight
// from the package files: relative imports with their .js, nothing from Node, listed by npm pack.

const ROOT = join(__dirname, '..', '..');
const BROWSER = join(ROOT, 'dist', 'browser');
const ENTRY = join(BROWSER, 'client', 'index.js');
const defer = useCleanup();

// The build scripts are plain CommonJS (they run before anything is compiled).
const { buildBrowser } = require('../../scripts/build-browser.js') as {
  buildBrowser(options: { configPath?: string; outDir?: string }): string[];
};
const size = require('../../scripts/browser-size.js') as {
  measure(entry?: string): {
    files: { file: string; bytes: number; gzip: number }[];
    bytes: number;
    gzip: number;
  };
  specifiers(code: string): string[];
  BEGIN: string;
  END: string;
};

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsFiles(path) : name.endsWith('.js') ? [path] : [];
  });
}

beforeAll(() => {
  if (!existsSync(ENTRY))
    throw new Error(`${ENTRY} is missing: run "npm run build" (npm test does it first)`);
});

describe('the browser build of unified-ws/client', () => {
  it('imports nothing but relative .js files of its own, and nothing CommonJS or from Node', () => {
    const { files } = size.measure(ENTRY);
    expect(files.map((f) => f.file)).toContain('dist/browser/client/index.js');
    for (const { file } of files) {
      const path = join(ROOT, file);
      const code = readFileSync(path, 'utf8');
      for (const specifier of size.specifiers(code)) {
        expect(specifier).toMatch(/^\.{1,2}\/.*\.js$/);
        const target = resolve(dirname(path), specifier);
        expect(relative(BROWSER, target).startsWith('..')).toBe(false);
        expect(existsSync(target)).toBe(true);
      }
      // What made the CommonJS build fail in a page: `exports is not defined`.
      expect(code).not.toMatch(/\brequire\(|\bexports\.|\bmodule\.exports\b|"use strict"/);
      expect(code).not.toMatch(/\bnode:|\bprocess\.|\bBuffer\b/);
    }
    // Every module of the build is reachable from the entry: nothing stale is shipped.
    expect(
      jsFiles(BROWSER)
        .map((f) => relative(ROOT, f).replace(/\\/g, '/'))
        .sort(),
    ).toEqual(files.map((f) => f.file).sort());
  });

  it('is ES modules for Node too, exporting the client', () => {
    expect(JSON.parse(readFileSync(join(BROWSER, 'package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
    const exported = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(ENTRY)}); console.log(Object.keys(m).sort().join(' '))`,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(exported.split(' ')).toEqual(
      expect.arrayContaining(['UnifiedWsClient', 'ClientError', 'isClientError', 'AGENT_EVENTS']),
    );
  });

  it('is what package.json exports to browsers and ES module runtimes; Node keeps its entry', () => {
    const resolveAs = (conditions: string[]) =>
      execFileSync(
        process.execPath,
        [
          ...conditions.map((c) => `--conditions=${c}`),
          '--input-type=module',
          '-e',
          `console.log(import.meta.resolve('unified-ws/client'))`,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      ).trim();
    expect(resolveAs(['browser'])).toMatch(/\/dist\/browser\/client\/index\.js$/);
    expect(resolveAs([])).toMatch(/\/dist\/src\/client\/node\.js$/);
  });

  it('is in the package npm packs', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { files: { path: string }[] }[];
    const paths = pack?.files.map((f) => f.path) ?? [];
    expect(paths).toContain('dist/browser/client/index.js');
    expect(paths).toContain('dist/browser/package.json');
    expect(paths).toContain('src/demo/chat-page/index.html');
    expect(paths).toContain('src/demo/chat-page/chat.js');
  });

  it('README.md carries the size the script measures (within 10 %: rerun it with --write)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(size.BEGIN), readme.indexOf(size.END));
    const figures = /([\d,]+) bytes \([^)]*\), ([\d,]+) bytes gzipped/.exec(block);
    expect(figures).not.toBeNull();
    const [bytes, gzip] = [figures?.[1], figures?.[2]].map((n) => Number(n?.replace(/,/g, '')));
    const measured = size.measure(ENTRY);
    expect(Math.abs((bytes as number) / measured.bytes - 1)).toBeLessThan(0.1);
    expect(Math.abs((gzip as number) / measured.gzip - 1)).toBeLessThan(0.1);
  });
});

describe('scripts/build-browser.js', () => {
  it('adds .js to relative specifiers, index.js for a directory, and refuses a package import', () => {
    const dir = tempProject(defer, {
      'src/a.ts': "export { b } from './b';\nexport { c } from './lib';\nexport const a = 1;\n",
      'src/b.ts': 'export const b = 2;\n',
      'src/lib/index.ts': "export const c = async () => (await import('./late')).late;\n",
      'src/lib/late.ts': 'export const late = 3;\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'es2022',
          moduleResolution: 'bundler',
          lib: ['es2022', 'dom'],
          types: [],
          strict: true,
          rootDir: 'src',
          outDir: 'out',
        },
        files: ['src/a.ts'],
      }),
    });
    expect(buildBrowser({ configPath: join(dir, 'tsconfig.json') })).toEqual([]);
    const a = readFileSync(join(dir, 'out', 'a.js'), 'utf8');
    expect(size.specifiers(a).sort()).toEqual(['./b.js', './lib/index.js']);
    expect(size.specifiers(readFileSync(join(dir, 'out', 'lib', 'index.js'), 'utf8'))).toEqual([
      './late.js',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'package.json'), 'utf8'))).toEqual({
      type: 'module',
    });

    const bare = tempProject(defer, {
      'src/a.ts': "import { z } from 'some-package';\nexport const a = z;\n",
      'src/some-package.d.ts': "declare module 'some-package' { export const z: number; }\n",
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'es2022',
          moduleResolution: 'bundler',
          types: [],
          rootDir: 'src',
          outDir: 'out',
        },
        files: ['src/a.ts', 'src/some-package.d.ts'],
      }),
    });
    expect(buildBrowser({ configPath: join(bare, 'tsconfig.json') })).toEqual([
      expect.stringContaining('imports "some-package", which a browser cannot load'),
    ]);
  });

  it('fails on a Node API in the client subtree: it type-checks without Node types', () => {
    const dir = tempProject(defer, {
      'src/a.ts': "export const a = Buffer.from('x');\n",
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'es2022',
          moduleResolution: 'bundler',
          lib: ['es2022', 'dom'],
          types: [],
          rootDir: 'src',
          outDir: 'out',
        },
        files: ['src/a.ts'],
      }),
    });
    expect(buildBrowser({ configPath: join(dir, 'tsconfig.json') })).toEqual([
      expect.stringMatching(/Cannot find name 'Buffer'/),
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
