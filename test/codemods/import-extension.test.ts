import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../src/manifest/from-json';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseSource } from '../../src/migration/codemod/parse';
import {
  projectExtensionStyle,
  relativeImportStyle,
  specifierExtension,
} from '../../src/migration/import-extension';
import { tempProject, useCleanup } from '../helpers';

// The one answer to "does this file write `../core/store`, `../core/store.js` or
// `../core/store.ts`?" that shim and migrate share: the file's own relative imports, else the
// nearest files' ones, else tsconfig (with extends) and package.json.

const ESM_PACKAGE = JSON.stringify({ name: 'app', type: 'module' });
const tsconfig = (compilerOptions: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...extra, compilerOptions });

describe('the extension of relative specifiers', () => {
  const defer = useCleanup();
  const project = (files: Record<string, string>) => tempProject(defer, files);
  const styleOf = (root: string, file: string) =>
    relativeImportStyle(
      parseSource(readFileSync(join(root, file), 'utf8'), file).program.body,
      join(root, file),
      root,
    );

  it("the file's own relative imports decide first", () => {
    const root = project({
      'package.json': ESM_PACKAGE,
      'tsconfig.json': tsconfig({ module: 'nodenext' }),
      'src/a.ts': "import { x } from './x.js';\nexport const a = x;\n",
      'src/b.ts': "import { x } from './x';\nexport const b = x;\n",
      'src/c.ts': "import { x } from './x.ts';\nexport const c = x;\n",
      'src/d.ts': "import data from './data.json';\nexport const d = data;\n",
    });
    expect(styleOf(root, 'src/a.ts')).toBe('js');
    expect(styleOf(root, 'src/b.ts')).toBe('none');
    expect(styleOf(root, 'src/c.ts')).toBe('ts');
    // A JSON import says nothing: the nearest files do (a.ts, b.ts, c.ts: one each, .js first).
    expect(styleOf(root, 'src/d.ts')).toBe('js');
  });

  it('a file without relative imports follows the files nearest to it, then the ones above', () => {
    const root = project({
      'tsconfig.json': tsconfig({ module: 'commonjs' }),
      'src/index.ts': "export * from './feature/x.js';\n",
      'src/feature/x.ts': 'export const x = 1;\n',
      'src/other/y.ts': "export { y } from './z';\n",
      'src/other/z.ts': 'export const y = 2;\n',
    });
    expect(styleOf(root, 'src/feature/x.ts')).toBe('js'); // src/index.ts
    expect(styleOf(root, 'src/other/z.ts')).toBe('none'); // src/other/y.ts, before src/
  });

  it('else tsconfig: node16/nodenext in a "type": "module" package is .js, with extends', () => {
    const lone = { 'src/legacy/store.ts': 'export class Store {}\n' };
    const style = (files: Record<string, string>, file = 'src/legacy/store.ts') => {
      const root = project({ ...lone, ...files });
      return projectExtensionStyle(join(root, file), root);
    };
    expect(
      style({ 'package.json': ESM_PACKAGE, 'tsconfig.json': tsconfig({ module: 'nodenext' }) }),
    ).toBe('js');
    expect(
      style({
        'package.json': ESM_PACKAGE,
        'tsconfig.base.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }),
        // JSON with comments, as tsconfig files are.
        'tsconfig.json': `{\n  // the base decides\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": { "strict": true, },\n}\n`,
      }),
    ).toBe('js');
    expect(
      style({
        'package.json': ESM_PACKAGE,
        'tsconfig.json': tsconfig({
          module: 'nodenext',
          allowImportingTsExtensions: true,
          noEmit: true,
        }),
      }),
    ).toBe('ts');
    // CommonJS package, bundler resolution, no tsconfig: no extension.
    expect(style({ 'package.json': '{}', 'tsconfig.json': tsconfig({ module: 'nodenext' }) })).toBe(
      'none',
    );
    expect(
      style({
        'package.json': ESM_PACKAGE,
        'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }),
      }),
    ).toBe('none');
    expect(style({ 'package.json': ESM_PACKAGE })).toBe('none');
    // .mts is an ES module whatever the package says; plain JavaScript ESM without tsconfig needs it too.
    expect(
      style(
        {
          'package.json': '{}',
          'tsconfig.json': tsconfig({ module: 'nodenext' }),
          'src/legacy/s.mts': '',
        },
        'src/legacy/s.mts',
      ),
    ).toBe('js');
    expect(style({ 'package.json': ESM_PACKAGE, 'src/legacy/s.js': '' }, 'src/legacy/s.js')).toBe(
      'js',
    );
  });

  it('the extension for the target file', () => {
    expect(specifierExtension('js', 'src/core/store.ts')).toBe('.js');
    expect(specifierExtension('js', 'src/core/view.tsx')).toBe('.js');
    expect(specifierExtension('js', 'src/core/store.mts')).toBe('.mjs');
    expect(specifierExtension('js', 'src/core/store.cts')).toBe('.cjs');
    expect(specifierExtension('ts', 'src/core/store.ts')).toBe('.ts');
    expect(specifierExtension('ts', 'src/core/view.tsx')).toBe('.tsx');
    expect(specifierExtension('none', 'src/core/store.ts')).toBe('');
  });

  it('migrate writes the canonical repository file with .js in a NodeNext ES module project', () => {
    const root = project({
      'package.json': ESM_PACKAGE,
      'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }),
      'src/core/store.ts': 'export class Store {}\n',
      'src/app/main.ts':
        "import { Store } from '@acme/old-store';\nexport const store = new Store();\n",
    });
    const manifest = parseManifest({
      package: '@acme/old-store',
      canonical: './src/core/store.ts',
      entries: [
        {
          code: 'STORE001',
          summary: 'The old store package.',
          since: '1.0.0',
          removeIn: '2.0.0',
          exports: [{ name: '*', rewrite: 'same-object' }],
        },
      ],
    });
    const resolver = new ModuleResolver(manifest, { root });
    const file = join(root, 'src/app/main.ts');
    expect(legacyToCanonical(readFileSync(file, 'utf8'), file, resolver).output).toBe(
      "import { Store } from '../core/store.js';\nexport const store = new Store();\n",
    );
  });
});
