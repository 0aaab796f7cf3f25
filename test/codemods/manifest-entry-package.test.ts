import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { findLegacyUses } from '../../src/migration/legacy-uses';
import { entryToJson } from '../../src/manifest/entry-json';
import { parseManifest } from '../../src/manifest/from-json';
import { legacySpecifier } from '../../src/manifest/render';
import { legacyPackageSpecifier } from '../../src/manifest/targets';
import { tempProject, useCleanup } from '../helpers';

// An entry's own `package`: one manifest moves several packages (every Node builtin to `node:`),
// where a manifest used to hold one whole-package entry, so N builtins needed N manifests and runs.

const EXAMPLE = join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json');

const entry = (fields: Record<string, unknown>) => ({
  summary: 'moved',
  since: '1.0.0',
  removeIn: '2.0.0',
  exports: [{ name: '*', rewrite: 'same-object' }],
  ...fields,
});

const problems = (value: unknown): readonly string[] => {
  try {
    parseManifest(value);
    return [];
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
};

describe('a per-entry "package"', () => {
  const defer = useCleanup();

  it('the example manifest moves fs, fs/promises, path, os and child_process in one run', () => {
    const source = [
      "import { readFileSync } from 'fs';",
      "import { readFile } from 'fs/promises';",
      "import { join } from 'path';",
      "import * as os from 'os';",
      "const { spawnSync } = require('child_process');",
      "import { gzipSync } from 'zlib';",
      'export const all = [readFileSync, readFile, join, os, spawnSync, gzipSync];',
      '',
    ].join('\n');
    const root = tempProject(defer, { 'src/app.ts': source });
    const manifest = parseManifest(readFileSync(EXAMPLE, 'utf8'));
    const resolver = new ModuleResolver(manifest, { root });
    const file = join(root, 'src/app.ts');
    const result = legacyToCanonical(source, file, resolver);
    expect(result.markers).toEqual([]);
    expect(result.output).toBe(
      source
        .replace("'fs'", "'node:fs'")
        .replace("'fs/promises'", "'node:fs/promises'")
        .replace("'path'", "'node:path'")
        .replace("'os'", "'node:os'")
        .replace("'child_process'", "'node:child_process'"),
    );
    // check and audit count them the same way, each under its own code.
    const uses = findLegacyUses(root, resolver).uses.map((u) => `${u.code} ${u.specifier}`);
    expect(uses.sort()).toEqual(
      [
        'NODE001 fs',
        'NODE002 fs/promises',
        'NODE003 path',
        'NODE004 os',
        'NODE005 child_process',
      ].sort(),
    );
  });

  it('names the legacy module with the entry package, the top-level one otherwise', () => {
    const manifest = parseManifest({
      package: 'fs',
      canonical: 'node:fs',
      entries: [
        entry({ code: 'N001' }),
        entry({ code: 'N002', package: 'path', canonical: 'node:path' }),
        entry({ code: 'N003', package: 'path', module: 'posix', canonical: 'node:path/posix' }),
      ],
    });
    const [fs, path, posix] = manifest.entries;
    expect(manifest.entries.map((e) => legacyPackageSpecifier(manifest, e!))).toEqual([
      'fs',
      'path',
      'path/posix',
    ]);
    expect(legacySpecifier(manifest, posix!)).toBe('path/posix');
    // An entry without one has no `package` key: a manifest that parsed before parses the same.
    expect('package' in fs!).toBe(false);
    expect(path!.package).toBe('path');
    expect(entryToJson(path!)).toMatchObject({ code: 'N002', package: 'path' });
    expect(parseManifest({ ...manifest, entries: manifest.entries.map(entryToJson) })).toEqual(
      manifest,
    );
  });

  it('allows one whole-package entry per package, and refuses a package that is its own target', () => {
    const top = { package: 'fs', canonical: 'node:fs' };
    expect(
      problems({
        ...top,
        entries: [
          entry({ code: 'N001' }),
          entry({ code: 'N002', package: 'os', canonical: 'node:os' }),
        ],
      }),
    ).toEqual([]);
    expect(
      problems({
        ...top,
        entries: [
          entry({ code: 'N001', package: 'os', canonical: 'node:os' }),
          entry({ code: 'N002', package: 'os', canonical: 'node:os' }),
        ],
      }),
    ).toEqual([
      '$.entries[1]: has neither "module" nor "files", so it stands for the whole package, as $.entries[0] already does: give it a "module" or "files"',
    ]);
    expect(
      problems({
        ...top,
        entries: [entry({ code: 'N001', package: 'node:os', canonical: 'node:os' })],
      }),
    ).toEqual(['$.entries[0]: the legacy module "node:os" is its own canonical target']);
    expect(problems({ ...top, entries: [entry({ code: 'N001', package: ' ' })] })).toEqual([
      '$.entries[0].package: must be a non-empty string',
    ]);
    expect(problems({ ...top, entries: [entry({ code: 'N001', package: 7 })] })).toEqual([
      '$.entries[0].package: must be a non-empty string',
    ]);
  });
});
