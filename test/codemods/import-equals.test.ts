import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { findLegacyUses } from '../../src/migration/legacy-uses';
import { parseManifest } from '../../src/manifest/from-json';
import { tempProject, useCleanup } from '../helpers';

// `import fs = require('fs')`: TypeScript's CommonJS import (a TSImportEqualsDeclaration with an
// external module reference) is a site like any import: counted, moved, or marked.

const NODE = parseManifest(
  readFileSync(join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json'), 'utf8'),
);

const RENAMED = parseManifest({
  package: 'old-lib',
  canonical: 'new-lib',
  entries: [
    {
      code: 'LIB001',
      summary: 'renamed',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: [{ name: 'old', rewrite: 'rename', canonical: 'fresh', replacement: 'fresh' }],
    },
  ],
});

describe('import x = require(…)', () => {
  const defer = useCleanup();

  it('moves a same-object path, as an export too, and leaves an entity-name alias alone', () => {
    const source = [
      "import fs = require('fs');",
      'export import path = require("path");',
      'namespace Outer { export const x = 1; }',
      'import alias = Outer.x;',
      'export const all = [fs, path, alias];',
      '',
    ].join('\n');
    const root = tempProject(defer, { 'src/app.ts': source });
    const file = join(root, 'src/app.ts');
    const resolver = new ModuleResolver(NODE, { root });
    const result = legacyToCanonical(source, file, resolver);
    expect(result.markers).toEqual([]);
    expect(result.codes).toEqual(['NODE001', 'NODE003']);
    expect(result.output).toBe(
      source.replace("require('fs')", "require('node:fs')").replace('"path"', '"node:path"'),
    );
    expect(legacyToCanonical(result.output, file, resolver).output).toBe(result.output);
    // check and audit count it.
    expect(findLegacyUses(root, resolver).uses).toEqual([
      { file: join('src', 'app.ts'), line: 1, code: 'NODE001', specifier: 'fs' },
      { file: join('src', 'app.ts'), line: 2, code: 'NODE003', specifier: 'path' },
    ]);
  });

  it('marks one whose names are not all the same object in the target', () => {
    const source = "import lib = require('old-lib');\nexport const x = lib.old;\n";
    const root = tempProject(defer, { 'src/app.ts': source });
    const file = join(root, 'src/app.ts');
    const resolver = new ModuleResolver(RENAMED, { root });
    const result = legacyToCanonical(source, file, resolver);
    expect(result.markers).toHaveLength(1);
    expect(result.output).toMatch(
      /^\/\/ unified-ws\(LIB001\): import = require\(\)[^\n]*\nimport lib = require\('old-lib'\);\n/,
    );
    expect(findLegacyUses(root, resolver).uses).toHaveLength(1);
  });
});
