import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST } from '../../src/manifest/builtin';
import { parseManifest } from '../../src/manifest/from-json';
import { legacySpecifier } from '../../src/manifest/render';
import {
  canonicalName,
  canonicalOf,
  canonicalSpecifierFrom,
  canonicalTargetOf,
  classifyCanonical,
  defaultReplacement,
  exportFor,
  isDeprecatedExport,
  isWholePackage,
  legacyPackageSpecifier,
  requiresOf,
  satisfiesRequires,
} from '../../src/manifest/targets';

const ROOT = join(__dirname, '..', '..');
const example = (name: string) =>
  parseManifest(readFileSync(join(ROOT, 'docs', 'examples', name), 'utf8'), name);

describe('classifyCanonical', () => {
  it.each([
    ['unified-ws', { kind: 'package', packageName: 'unified-ws' }],
    ['@scope/new-pkg', { kind: 'package', packageName: '@scope/new-pkg' }],
    ['@scope/new-pkg/sub/path', { kind: 'package', packageName: '@scope/new-pkg' }],
    ['lodash/fp', { kind: 'package', packageName: 'lodash' }],
    ['@app/realtime/socket', { kind: 'package', packageName: '@app/realtime' }],
    ['~/realtime/socket', { kind: 'package', packageName: undefined }],
    ['@/realtime', { kind: 'package', packageName: undefined }],
    ['node:fs', { kind: 'builtin', module: 'fs' }],
    ['node:fs/promises', { kind: 'builtin', module: 'fs/promises' }],
    ['node:test', { kind: 'builtin', module: 'test' }],
    ['fs', { kind: 'builtin', module: 'fs' }],
    ['path/posix', { kind: 'builtin', module: 'path/posix' }],
    ['./src/realtime/socket.ts', { kind: 'file', path: 'src/realtime/socket.ts' }],
    ['./socket', { kind: 'file', path: 'socket' }],
  ])('%s', (specifier, expected) => {
    expect(classifyCanonical(specifier)).toEqual({ specifier, ...expected });
  });
});

describe('an entry’s target', () => {
  const manifest = example('manifest-v2.json');
  const [a, b, c, d] = manifest.entries;

  it('is its own canonical, else the manifest’s', () => {
    expect([a, b, c, d].map((e) => canonicalOf(manifest, e!))).toEqual([
      'unified-ws',
      'unified-ws',
      './src/realtime/events.ts',
      '@acme/metrics',
    ]);
    expect(canonicalTargetOf(manifest, c!)).toEqual({
      kind: 'file',
      specifier: './src/realtime/events.ts',
      path: 'src/realtime/events.ts',
    });
  });

  it('is the built-in manifest’s canonical for every built-in entry', () => {
    expect(new Set(MANIFEST.entries.map((e) => canonicalOf(MANIFEST, e)))).toEqual(
      new Set(['unified-ws']),
    );
  });
});

describe('legacy modules', () => {
  it('a whole-package entry is the package itself', () => {
    const manifest = example('whole-package.json');
    const [whole, sub] = manifest.entries;
    expect(isWholePackage(whole!)).toBe(true);
    expect(isWholePackage(sub!)).toBe(false);
    expect(legacyPackageSpecifier(manifest, whole!)).toBe('@scope/old-pkg');
    expect(legacySpecifier(manifest, whole!)).toBe('@scope/old-pkg');
    expect(legacyPackageSpecifier(manifest, sub!)).toBe('@scope/old-pkg/testing');
  });

  it('an entry of files only has no package specifier, and is no whole package', () => {
    const manifest = example('manifest-v2.json');
    const files = manifest.entries[2]!;
    expect(isWholePackage(files)).toBe(false);
    expect(legacyPackageSpecifier(manifest, files)).toBeUndefined();
  });

  it('the built-in manifest has no whole-package entry', () => {
    expect(MANIFEST.entries.filter(isWholePackage)).toEqual([]);
  });
});

describe('exports', () => {
  const manifest = example('manifest-v2.json');
  const [moved, partial] = manifest.entries;

  it('a listed name wins over "*"; "*" maps each other name to itself', () => {
    const listed = exportFor(moved!, 'SocketManager')!;
    expect(canonicalName(listed, 'SocketManager')).toBe('WebSocketManager');
    const other = exportFor(moved!, 'getWebSocketManager')!;
    expect(other.name).toBe('*');
    expect(canonicalName(other, 'getWebSocketManager')).toBe('getWebSocketManager');
    expect(canonicalName(other, 'default')).toBe('default');
  });

  it('without "*", an unlisted name has no export', () => {
    expect(exportFor(manifest.entries[3]!, 'gauge')).toBeUndefined();
  });

  it('stays is not deprecated; every other kind is', () => {
    expect(isDeprecatedExport(exportFor(partial!, 'formatDate')!)).toBe(false);
    expect(isDeprecatedExport(exportFor(partial!, 'pushToUser')!)).toBe(true);
    for (const entry of MANIFEST.entries)
      expect(entry.exports.every(isDeprecatedExport)).toBe(true);
  });

  it('default replacements', () => {
    expect(defaultReplacement({ name: '*', rewrite: 'same-object' }, 'node:fs')).toBe(
      "the same name from 'node:fs'",
    );
    expect(defaultReplacement({ name: '*', rewrite: 'stays' }, 'x')).toBe(
      'unchanged: not deprecated',
    );
    expect(
      defaultReplacement({ name: 'A', rewrite: 'rename', canonical: 'B' }, '@scope/new-pkg'),
    ).toBe("import { B } from '@scope/new-pkg'");
  });
});

describe('version conditions', () => {
  const manifest = example('whole-package.json');
  const whole = manifest.entries[0]!;

  it('an export’s own condition overrides its entry’s', () => {
    expect(requiresOf(whole, exportFor(whole, 'createClient')!)).toBe('>=1.4.0');
    expect(requiresOf(whole, exportFor(whole, 'anythingElse')!)).toBe('>=1.0.0');
    expect(requiresOf(manifest.entries[1]!, manifest.entries[1]!.exports[0]!)).toBeUndefined();
  });

  it.each([
    ['1.5.0', '>=1.4.0', true],
    ['1.2.0', '>=1.4.0', false],
    ['8.0.0-rc.1', '>=7.8.0', true],
    ['7.9.3', '>=7.8.0 <8', true],
    [undefined, '>=1.0.0', false],
    [undefined, undefined, true],
    ['0.1.0', undefined, true],
  ] as const)('installed %s, requires %s: %s', (installed, range, applies) => {
    expect(satisfiesRequires(installed, range)).toBe(applies);
  });
});

describe('canonicalSpecifierFrom', () => {
  const file = classifyCanonical('./src/realtime/socket.ts');

  it('writes a package or builtin as it is, from anywhere', () => {
    expect(canonicalSpecifierFrom(classifyCanonical('@scope/new-pkg/sub'), 'a/b/c.ts')).toBe(
      '@scope/new-pkg/sub',
    );
    expect(canonicalSpecifierFrom(classifyCanonical('node:fs'), 'index.ts')).toBe('node:fs');
  });

  it('writes the table of docs/manifest.md for a repository file at several depths', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'manifest.md'), 'utf8');
    const section = doc.slice(
      doc.indexOf('<!-- canonical-depths'),
      doc.indexOf('<!-- /canonical-depths -->'),
    );
    const rows = [...section.matchAll(/^\| `([^`]+)` +\| `'([^']+)'` +\|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [, from, written] of rows)
      expect([from, canonicalSpecifierFrom(file, from as string)]).toEqual([from, written]);
  });

  it('swaps the extension when asked, keeps a path without one, and takes Windows separators', () => {
    expect(canonicalSpecifierFrom(file, 'src/app/chat.ts', { extension: '.js' })).toBe(
      '../realtime/socket.js',
    );
    expect(canonicalSpecifierFrom(classifyCanonical('./src/realtime'), 'src/app/chat.ts')).toBe(
      '../realtime',
    );
    expect(canonicalSpecifierFrom(classifyCanonical('./types/api.d.ts'), 'src\\app\\chat.ts')).toBe(
      '../../types/api',
    );
  });
});
