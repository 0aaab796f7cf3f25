import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseManifest } from '../../src/manifest/from-json';
import { tempProject, useCleanup } from '../helpers';

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'examples');

describe('manifest v2 forms in the codemod', () => {
  const defer = useCleanup();

  const project = (files: Record<string, string>) => tempProject(defer, files);

  const entry = (fields: Record<string, unknown>) => ({
    summary: 'moved',
    since: '1.0.0',
    removeIn: '2.0.0',
    ...fields,
  });

  function run(root: string, manifest: unknown, file: string) {
    const resolver = new ModuleResolver(parseManifest(manifest), { root });
    const path = join(root, file);
    return legacyToCanonical(readFileSync(path, 'utf8'), path, resolver);
  }

  it('"*" moves every name a module does not list, in every form; listed renames still apply', () => {
    const source = [
      "import { a, oldName } from 'old-lib';",
      "import * as ns from 'old-lib';",
      "export * from 'old-lib';",
      "export { b as c } from 'old-lib';",
      "const lazy = () => import('old-lib');",
      "jest.mock('old-lib');",
      'export const all = [a, oldName, ns.d, lazy];',
      '',
    ].join('\n');
    const root = project({ 'src/app.ts': source });
    const manifest = {
      package: 'old-lib',
      canonical: 'new-lib',
      entries: [
        entry({
          code: 'LIB001',
          exports: [
            { name: '*', rewrite: 'same-object' },
            { name: 'oldName', rewrite: 'rename', canonical: 'newName', replacement: 'newName' },
          ],
        }),
      ],
    };
    const result = run(root, manifest, 'src/app.ts');
    expect(result.output).toBe(
      [
        "import { a, newName as oldName } from 'new-lib';",
        "import * as ns from 'new-lib';",
        '// unified-ws(LIB001): export * of old-lib: its exports cannot all be read; list them by hand',
        "export * from 'old-lib';",
        "export { b as c } from 'new-lib';",
        '// unified-ws(LIB001): import(): its names differ in the canonical module; migrate by hand',
        "const lazy = () => import('old-lib');",
        '// unified-ws(LIB001): a mock: its names differ in the canonical module; migrate by hand',
        "jest.mock('old-lib');",
        'export const all = [a, oldName, ns.d, lazy];',
        '',
      ].join('\n'),
    );
  });

  it('"stays" names keep their import, with no marker; the others move', () => {
    const root = project({
      'src/app.ts':
        "import { keep, moved } from 'old-lib/utils';\nexport const x = [keep, moved];\n",
    });
    const manifest = {
      package: 'old-lib',
      canonical: 'new-lib',
      entries: [
        entry({
          code: 'LIB002',
          module: 'utils',
          exports: [
            { name: 'keep', rewrite: 'stays' },
            { name: 'moved', rewrite: 'same-object', canonical: 'moved', replacement: 'moved' },
          ],
        }),
      ],
    };
    const result = run(root, manifest, 'src/app.ts');
    expect(result.markers).toEqual([]);
    expect(result.output).toBe(
      "import { keep } from 'old-lib/utils';\nimport { moved } from 'new-lib';\nexport const x = [keep, moved];\n",
    );
  });

  it('a canonical per entry: one manifest, several targets, in one file', () => {
    const root = project({
      'src/app.ts':
        "import { a } from 'old-lib/one';\nimport { b } from 'old-lib/two';\nexport const x = [a, b];\n",
    });
    const manifest = {
      package: 'old-lib',
      canonical: 'new-lib',
      entries: [
        entry({ code: 'LIB003', module: 'one', exports: [{ name: '*', rewrite: 'same-object' }] }),
        entry({
          code: 'LIB004',
          module: 'two',
          canonical: 'other-lib',
          exports: [{ name: '*', rewrite: 'same-object' }],
        }),
      ],
    };
    expect(run(root, manifest, 'src/app.ts').output).toBe(
      "import { a } from 'new-lib';\nimport { b } from 'other-lib';\nexport const x = [a, b];\n",
    );
  });

  it('a repository file as the target is written as the right relative path at every depth', () => {
    const use = "import { Socket } from '@old/socket';\nexport const S = Socket;\n";
    const esm =
      "import { Socket } from '@old/socket';\nimport { x } from './x.js';\nexport const S = [Socket, x];\n";
    const root = project({
      'app.ts': use,
      'src/chat.ts': use,
      'src/deep/down/room.ts': use,
      'src/core/esm.ts': esm,
      'src/core/socket.ts': 'export class Socket {}\n',
    });
    const manifest = {
      package: '@old/socket',
      canonical: './src/core/socket.ts',
      entries: [entry({ code: 'SOCK001', exports: [{ name: '*', rewrite: 'same-object' }] })],
    };
    const specifier = (file: string) =>
      /from '([^']+)'/.exec(run(root, manifest, file).output)?.[1];
    expect(specifier('app.ts')).toBe('./src/core/socket');
    expect(specifier('src/chat.ts')).toBe('./core/socket');
    expect(specifier('src/deep/down/room.ts')).toBe('../../core/socket');
    expect(specifier('src/core/esm.ts')).toBe('./socket.js');
  });

  it('moves a whole package (the example manifest) and respects a version condition both ways', () => {
    const source =
      "import { createClient, helper } from '@scope/old-pkg';\nexport const x = [createClient, helper];\n";
    const manifest = JSON.parse(
      readFileSync(join(EXAMPLES, 'whole-package.json'), 'utf8'),
    ) as unknown;
    const installed = (version: string) =>
      project({
        'src/app.ts': source,
        'node_modules/@scope/new-pkg/package.json': JSON.stringify({
          name: '@scope/new-pkg',
          version,
        }),
      });
    // 1.4.0 has connect: the rename applies.
    expect(run(installed('1.4.0'), manifest, 'src/app.ts').output).toBe(
      "import { connect as createClient, helper } from '@scope/new-pkg';\nexport const x = [createClient, helper];\n",
    );
    // 1.2.0 does not: a marker, and createClient stays on the old package, never a wrong rewrite.
    const older = run(installed('1.2.0'), manifest, 'src/app.ts');
    expect(older.output).toBe(
      [
        '// unified-ws(PKG001): createClient needs @scope/new-pkg@>=1.4.0 (installed: 1.2.0); left as it is',
        "import { createClient } from '@scope/old-pkg';",
        "import { helper } from '@scope/new-pkg';",
        'export const x = [createClient, helper];',
        '',
      ].join('\n'),
    );
    expect(older.markers[0]?.detail).toContain(
      '@scope/new-pkg@>=1.4.0 is installed (installed: 1.2.0)',
    );
  });

  it('a Node builtin (the example manifest): every form moves to node:, augmentations stay', () => {
    const source = [
      "import { readFileSync } from 'fs';",
      "import * as fs from 'fs';",
      "import { readFile } from 'fs/promises';",
      "export * from 'fs';",
      "const lazy = () => import('fs');",
      "const { statSync } = require('fs');",
      "jest.mock('fs');",
      "type Fs = typeof import('fs');",
      "declare module 'fs' {",
      '  export function extra(): void;',
      '}',
      "declare module 'my-lib' {",
      "  import type { Stats } from 'fs';",
      '  export function stat(): Stats;',
      '}',
      'export const all = [readFileSync, fs, readFile, lazy, statSync];',
      'export type { Fs };',
      '',
    ].join('\n');
    const root = project({ 'src/app.ts': source });
    const manifest = JSON.parse(
      readFileSync(join(EXAMPLES, 'node-protocol.json'), 'utf8'),
    ) as unknown;
    const result = run(root, manifest, 'src/app.ts');
    expect(result.markers).toEqual([]);
    expect(result.output).toBe(
      source
        .replace(/from 'fs'/g, "from 'node:fs'")
        .replace("from 'fs/promises'", "from 'node:fs/promises'")
        .replace("import('fs')", "import('node:fs')")
        .replace("import('fs');", "import('node:fs');")
        .replace("require('fs')", "require('node:fs')")
        .replace("jest.mock('fs')", "jest.mock('node:fs')")
        .replace("typeof import('fs')", "typeof import('node:fs')"),
    );
    expect(result.output).toContain("declare module 'fs' {");
  });
});
