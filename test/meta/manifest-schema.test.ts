import Ajv from 'ajv';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { MANIFEST } from '../../src/manifest/builtin';
import { parseManifest } from '../../src/manifest/from-json';
import {
  CALL_KEYS,
  ENTRY_KEYS,
  EXPORT_KEYS,
  MANIFEST_SCHEMA_FILE,
  PATTERNS,
  manifestSchemaText,
} from '../../src/manifest/schema';
import { REWRITE_KINDS } from '../../src/manifest/types';
import { INVALID, VALID, manifest } from '../migration/manifest-cases';

// One format, two readers: the JSON Schema that editors validate with, and parseManifest. The
// schema file is generated from the parser's key tables and patterns; this proves it is current,
// and that both accept and refuse the same manifests — apart from the checks JSON Schema cannot
// say, each of which is a row marked 'parser only' in test/migration/manifest-cases.ts.

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const schemaText = read(MANIFEST_SCHEMA_FILE);
const schema = JSON.parse(schemaText) as {
  properties: Record<string, unknown>;
  definitions: Record<string, { properties: Record<string, unknown> }>;
};
// strictTypes and strictTuples on: every keyword of the schema applies to a declared type.
const validate = new Ajv({ allErrors: true, strictTypes: true, strictTuples: true }).compile(
  schema,
);

/** A manifest as a JSON file holds it (keys set to undefined are left out). */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

const schemaAccepts = (value: unknown) => validate(json(value));
const parserProblems = (value: unknown): readonly string[] => {
  try {
    parseManifest(json(value));
    return [];
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
};

describe('the manifest JSON Schema', () => {
  it(`${MANIFEST_SCHEMA_FILE} is what src/manifest/schema.ts generates (npm run generate)`, () => {
    expect(schemaText).toBe(manifestSchemaText());
  });

  it('is laid out as prettier lays it out (it is checked with the rest, not ignored)', () => {
    const result = spawnSync(
      process.execPath,
      [require.resolve('prettier/bin/prettier.cjs'), '--check', MANIFEST_SCHEMA_FILE],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
  });

  it('ships in the package', () => {
    const files = (JSON.parse(read('package.json')) as { files: string[] }).files;
    expect(files.some((f) => MANIFEST_SCHEMA_FILE.startsWith(`${f}/`))).toBe(true);
  });

  it('has the keys and rewrite kinds the parser knows, and no others', () => {
    const { entry, export: exp, calls } = schema.definitions;
    expect(Object.keys(entry!.properties)).toEqual([...ENTRY_KEYS]);
    expect(Object.keys(exp!.properties)).toEqual([...EXPORT_KEYS]);
    expect(Object.keys(calls!.properties)).toEqual([...CALL_KEYS]);
    expect(exp!.properties.rewrite).toMatchObject({ enum: [...REWRITE_KINDS] });
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'package',
      'canonical',
      'entries',
      'docs',
    ]);
  });
});

describe('the schema and parseManifest agree', () => {
  const examples = readdirSync(join(ROOT, 'docs', 'examples'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => [`docs/examples/${file}`, JSON.parse(read(`docs/examples/${file}`))] as const);
  const doc = read('docs/manifest.md');
  const blocks = [...doc.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map(
    (m, i) => [`docs/manifest.md, JSON block ${i + 1}`, JSON.parse(m[1] as string)] as const,
  );

  it('docs/manifest.md shows a manifest of every form', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    const all = JSON.stringify(blocks.map(([, m]) => m as unknown));
    for (const form of [
      '"name":"*"',
      '"rewrite":"stays"',
      '"canonical":"./src/',
      '"canonical":"node:fs"',
      '"requires"',
      '"calls"',
      '"rewrite":"manual"',
      '"files"',
      '"package":"path"',
    ])
      expect(all).toContain(form);
  });

  it.each([...examples, ...blocks])('%s: both accept it', (_name, value) => {
    expect(parserProblems(value)).toEqual([]);
    expect(schemaAccepts(value) ? [] : validate.errors).toEqual([]);
  });

  it('both accept the built-in manifest', () => {
    expect(parserProblems(MANIFEST)).toEqual([]);
    expect(schemaAccepts(MANIFEST)).toBe(true);
  });

  it.each(VALID)('both accept %s', (_name, value) => {
    expect(parserProblems(value)).toEqual([]);
    expect(schemaAccepts(value) ? [] : validate.errors).toEqual([]);
  });

  // An entry's own legacy package (one manifest for several packages).
  const builtins = (...entries: Record<string, unknown>[]) =>
    manifest(
      { package: 'fs', canonical: 'node:fs' },
      ...entries.map((e) => ({ module: undefined, ...e })),
    );
  it.each([
    ['an entry package', builtins({ package: 'path', canonical: 'node:path' })],
    [
      'a whole-package entry for each of two packages',
      builtins({}, { code: 'ACME002', package: 'os', canonical: 'node:os' }),
    ],
    [
      'an entry package with a module',
      builtins({ package: 'path', module: 'posix', canonical: 'node:path/posix' }),
    ],
  ])('both accept %s', (_name, value) => {
    expect(parserProblems(value)).toEqual([]);
    expect(schemaAccepts(value) ? [] : validate.errors).toEqual([]);
  });

  // The top-level docs base that markers link (an entry's docs is its anchor there).
  it.each([
    ['a docs path', manifest({ docs: 'docs/migrations.md' })],
    ['a docs URL', manifest({ docs: 'https://example.com/handbook/migrations' })],
  ])('both accept %s', (_name, value) => {
    expect(parserProblems(value)).toEqual([]);
    expect(schemaAccepts(value) ? [] : validate.errors).toEqual([]);
  });

  it.each([
    ['a docs base with an anchor', manifest({ docs: 'docs/migrations.md#rx' }), 'both'],
    ['an empty docs base', manifest({ docs: '' }), 'both'],
    ['a docs base that is not a string', manifest({ docs: true }), 'both'],
    ['an empty entry package', builtins({ package: ' ', canonical: 'node:path' }), 'both'],
    ['a number as entry package', builtins({ package: 1, canonical: 'node:path' }), 'both'],
    [
      'two whole-package entries of one entry package',
      builtins(
        { package: 'os', canonical: 'node:os' },
        { code: 'ACME002', package: 'os', canonical: 'node:os' },
      ),
      'parser only',
    ],
  ])('both refuse %s (or only the parser, as marked)', (_name, value, who) => {
    expect(parserProblems(value)).not.toEqual([]);
    expect(schemaAccepts(value)).toBe(who === 'parser only');
  });

  it.each(INVALID)('both refuse %s (or only the parser, as marked)', (_name, value, _p, who) => {
    expect(parserProblems(value)).not.toEqual([]);
    expect(schemaAccepts(value)).toBe(who === 'parser only');
  });

  const version = new RegExp(PATTERNS.version, 'u');
  it.each([
    '1.0.0',
    'v1.0.0',
    ' 1.0.0 ',
    '1.0.0-rc.1',
    '1.0.0-0.3.7',
    '1.0.0-x-y.z',
    '1.0.0+build.7',
    '1.0.0-alpha+001',
    '1.0',
    '1',
    '01.0.0',
    '1.0.0-01',
    '=1.0.0',
    'v 1.0.0',
    '1.0.0-',
    '1.0.0+',
    '1.0.0 2.0.0',
    'x.y.z',
    `1.0.0-${'a'.repeat(260)}`,
  ])('version %j: the pattern agrees with semver.valid', (value) => {
    expect(version.test(value) && value.length <= 256).toBe(semver.valid(value) !== null);
    const withVersion = manifest({}, { since: value, removeIn: '99.0.0' });
    expect(schemaAccepts(withVersion)).toBe(parserProblems(withVersion).length === 0);
  });

  it.each([
    'unified-ws',
    '@scope/new-pkg/sub',
    '~/alias',
    'node:fs',
    'fs',
    './src/x.ts',
    './x',
    './src/x/index.ts',
    '../x',
    '..',
    '.',
    '.x',
    './',
    './.',
    './a/./b',
    './a/../b',
    './a//b',
    './a/b/',
    '.\\a',
    '/a',
    '\\a',
    'C:/a',
    'c:\\a',
    ' ',
  ])('canonical %j: the schema agrees with the parser', (canonical) => {
    const value = manifest({ canonical });
    expect(schemaAccepts(value)).toBe(parserProblems(value).length === 0);
  });
});

describe('docs/manifest.md', () => {
  const text = read('docs/manifest.md');

  // Its links are checked with the other docs' in test/meta/readme.test.ts.
  it('links the schema', () => {
    expect(text).toContain(`](../${MANIFEST_SCHEMA_FILE})`);
  });
});
