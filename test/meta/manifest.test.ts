import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyImportsConfig } from '../../src/lint/eslint-config';
import { deprecationsDoc } from '../../src/manifest/deprecations-doc';
import { packageExports } from '../../src/manifest/generate';
import { MANIFEST, RETIRED_CODES } from '../../src/manifest/builtin';
import { shimPath, shimSource } from '../../src/manifest/shim-source';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the manifest and everything generated from it agree', () => {
  it('has exactly 20 entries, UWS001…UWS020 in order, none of them retired', () => {
    expect(MANIFEST.entries.map((e) => e.code)).toEqual(
      Array.from({ length: 20 }, (_, i) => `UWS${String(i + 1).padStart(3, '0')}`),
    );
    expect(MANIFEST.entries.filter((e) => RETIRED_CODES.includes(e.code))).toEqual([]);
    expect(new Set(MANIFEST.entries.map((e) => e.module)).size).toBe(20);
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(MANIFEST.entries[0]?.exports[0])).toBe(true);
    expect(() => (MANIFEST.entries as unknown as unknown[]).push({})).toThrow(TypeError);
  });

  it.each(MANIFEST.entries.map((e) => [e.code, e] as const))(
    '%s: the shim file is what the manifest generates',
    (_code, entry) => {
      expect(read(shimPath(entry))).toBe(shimSource(entry));
    },
  );

  it.each(MANIFEST.entries.map((e) => [e.code, e] as const))(
    '%s: the shim exports exactly the manifest’s value names',
    (_code, entry) => {
      const shim = require(join(ROOT, shimPath(entry))) as Record<string, unknown>;
      const values = entry.exports.filter((e) => !e.typeOnly).map((e) => e.name);
      expect(Object.keys(shim).sort()).toEqual([...values].sort());
    },
  );

  it('package.json exports every legacy module, and nothing else beyond the fixed entries', () => {
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, unknown> };
    expect(pkg.exports).toEqual(packageExports(pkg.exports));
    expect(Object.keys(pkg.exports)).toHaveLength(20 + 4);
  });

  it('docs/deprecations.md is what the manifest generates', () => {
    expect(read('docs/deprecations.md')).toBe(deprecationsDoc(MANIFEST));
  });

  it('the ESLint config restricts exactly the legacy modules, naming each code', () => {
    const config = legacyImportsConfig();
    const paths = config.rules['no-restricted-imports'][1].paths;
    expect(paths.map((p) => p.name)).toEqual(MANIFEST.entries.map((e) => `unified-ws/${e.module}`));
    paths.forEach((p, i) => expect(p.message).toContain(MANIFEST.entries[i]?.code));
  });
});

describe('the manifest and the codemod fixtures agree', () => {
  const dir = join(ROOT, 'codemods', '__testfixtures__', 'legacy-to-canonical');
  const inputs = require('node:fs')
    .readdirSync(dir)
    .filter((file: string) => file.includes('.input.'))
    .map((file: string) => read(join('codemods', '__testfixtures__', 'legacy-to-canonical', file)))
    .join('\n');

  it.each(MANIFEST.entries.map((e) => [e.code, e.module] as const))(
    '%s has a fixture importing unified-ws/%s',
    (_code, module) => {
      expect(inputs).toContain(`'unified-ws/${module}'`);
    },
  );

  it('names only legacy modules the manifest knows', () => {
    const named = [...inputs.matchAll(/['"]unified-ws\/([\w/-]+)['"]/g)].map((m) => m[1]);
    const known = new Set(MANIFEST.entries.map((e) => e.module));
    expect(named.filter((module) => !known.has(module as string))).toEqual([]);
  });
});
