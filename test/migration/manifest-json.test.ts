import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST } from '../../src/manifest/builtin';
import { entryToJson } from '../../src/manifest/entry-json';
import { parseManifest } from '../../src/manifest/from-json';
import type { ManifestError } from '../../src/errors/manifest-error';
import { BASE, INVALID, VALID, WILDCARD, entry, exportsOf, manifest, same } from './manifest-cases';

const valid = {
  package: '@acme/realtime',
  canonical: '@acme/realtime',
  entries: [
    {
      code: 'ACME001',
      module: 'old/socket-manager',
      files: ['src/old/socket-manager.ts'],
      summary: 'The old socket manager.',
      why: 'Duplicated the registry.',
      since: '1.2.0',
      removeIn: '2.0.0',
      exports: [
        {
          name: 'SocketManager',
          rewrite: 'rename',
          canonical: 'Realtime',
          replacement: "import { Realtime } from '@acme/realtime'",
        },
        {
          name: 'Options',
          typeOnly: true,
          rewrite: 'same-object',
          canonical: 'Options',
          replacement: 'Options',
        },
      ],
    },
  ],
};

const withEntry = (patch: Record<string, unknown>) => ({
  ...valid,
  entries: [{ ...valid.entries[0], ...patch }],
});

describe('parseManifest', () => {
  it('reads a valid manifest from JSON text and fills the defaults', () => {
    const manifest = parseManifest(JSON.stringify(valid));
    expect(manifest.entries[0]).toMatchObject({
      code: 'ACME001',
      docs: 'acme001',
      files: ['src/old/socket-manager.ts'],
    });
    expect(manifest.entries[0]?.exports[1]).toEqual({
      name: 'Options',
      typeOnly: true,
      rewrite: 'same-object',
      canonical: 'Options',
      replacement: 'Options',
    });
  });

  it('accepts the built-in manifest', () => {
    expect(parseManifest(JSON.parse(JSON.stringify(MANIFEST)))).toEqual(MANIFEST);
  });

  const invalid: [string, unknown, string][] = [
    ['text that is not JSON', '{"package":', 'not valid JSON'],
    ['an array', [], '$: must be an object'],
    ['no entries', { ...valid, entries: [] }, '$.entries: must be a non-empty array'],
    [
      'a malformed code',
      withEntry({ code: 'acme-1' }),
      '$.entries[0].code: "acme-1" must look like UWS001',
    ],
    [
      'a second entry with neither module nor files (a second whole package)',
      {
        ...valid,
        entries: [
          { ...valid.entries[0], module: undefined, files: undefined },
          { ...valid.entries[0], code: 'ACME002', module: undefined, files: undefined },
        ],
      },
      '$.entries[1]: has neither "module" nor "files", so it stands for the whole package',
    ],
    [
      'a bad version',
      withEntry({ since: 'soon' }),
      '$.entries[0].since: "soon" is not a semver version',
    ],
    ['removal before since', withEntry({ removeIn: '1.0.0' }), 'must be later than since'],
    ['an unknown key', withEntry({ removeAt: '2.0.0' }), '$.entries[0].removeAt: unknown key'],
    [
      'an unknown rewrite',
      withEntry({ exports: [{ name: 'X', rewrite: 'magic', replacement: 'Y' }] }),
      '$.entries[0].exports[0].rewrite: must be one of',
    ],
    [
      'a rename without canonical',
      withEntry({ exports: [{ name: 'X', rewrite: 'rename', replacement: 'Y' }] }),
      'canonical: required for rewrite "rename"',
    ],
    [
      'an export that is not an identifier',
      withEntry({ exports: [{ name: 'a-b', rewrite: 'manual', replacement: 'Y' }] }),
      'is not an identifier',
    ],
  ];

  it.each(invalid)(
    'refuses %s with UWS_ERR_MANIFEST_INVALID and the JSON path',
    (_name, input, problem) => {
      let error: unknown;
      try {
        parseManifest(typeof input === 'string' ? input : JSON.stringify(input), 'acme.json');
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({
        name: 'ManifestError',
        code: 'UWS_ERR_MANIFEST_INVALID',
        source: 'acme.json',
      });
      expect((error as { problems: string[] }).problems.join('\n')).toContain(problem);
    },
  );

  it('collects every problem in one error', () => {
    const input = {
      ...valid,
      entries: [
        { ...valid.entries[0], code: 'x' },
        { ...valid.entries[0], since: 'never' },
      ],
    };
    expect(() => parseManifest(input)).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringContaining('entries[0].code'),
          expect.stringContaining('entries[1].since'),
        ]),
      }),
    );
  });

  it('refuses a duplicate code', () => {
    const input = { ...valid, entries: [valid.entries[0], valid.entries[0]] };
    expect(() => parseManifest(input)).toThrow(
      expect.objectContaining({
        problems: [expect.stringContaining('is used by an earlier entry')],
      }),
    );
  });

  it('reads the documented example manifest', () => {
    const text = readFileSync(
      join(__dirname, '..', '..', 'docs', 'examples', 'manifest.json'),
      'utf8',
    );
    expect(parseManifest(text).entries.length).toBeGreaterThan(0);
  });
});

/** A manifest as a JSON file holds it (keys set to undefined are left out). */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

const problemsOf = (input: unknown): readonly string[] => {
  try {
    parseManifest(json(input), 'acme.json');
  } catch (error) {
    return (error as ManifestError).problems;
  }
  return [];
};

describe('parseManifest: manifest v2', () => {
  it.each(VALID)('accepts %s', (_name, input) => {
    expect(problemsOf(input)).toEqual([]);
  });

  it.each(INVALID)('refuses %s, with exactly these problems', (_name, input, expected) => {
    const problems = problemsOf(input);
    expect(problems).toHaveLength(expected.length);
    for (const problem of expected)
      expect(problems).toContainEqual(expect.stringContaining(problem));
    // Every problem starts with its JSON path.
    for (const problem of problems) expect(problem).toMatch(/^\$[\w.[\]$]*: /);
  });

  it('reads a version-1 manifest exactly as before: no v2 keys appear', () => {
    const parsed = parseManifest(json(BASE));
    expect(parsed).toEqual({
      package: '@acme/old',
      canonical: '@acme/new',
      entries: [
        {
          code: 'ACME001',
          module: 'sockets',
          summary: 'The old sockets.',
          why: 'Duplicated.',
          since: '1.0.0',
          removeIn: '2.0.0',
          docs: 'acme001',
          exports: [
            {
              name: 'Socket',
              rewrite: 'same-object',
              canonical: 'Socket',
              replacement: "import { Socket } from '@acme/new'",
            },
          ],
        },
      ],
    });
  });

  it('fills in the replacement of "*" and stays from the entry\'s target', () => {
    const parsed = parseManifest(
      json(
        entry({
          canonical: 'node:fs',
          exports: [same('Socket'), { name: 'Keep', rewrite: 'stays' }, WILDCARD],
        }),
      ),
    );
    expect(parsed.entries[0]?.exports).toEqual([
      { name: 'Socket', rewrite: 'same-object', canonical: 'Socket', replacement: 'Socket' },
      { name: 'Keep', rewrite: 'stays', replacement: 'unchanged: not deprecated' },
      { name: '*', rewrite: 'same-object', replacement: "the same name from 'node:fs'" },
    ]);
  });

  it("keeps an entry's canonical and version conditions, and leaves the top-level canonical", () => {
    const parsed = parseManifest(
      json(
        entry({
          canonical: '@acme/metrics',
          requires: '>=2.0.0',
          exports: [same('Socket', { requires: '^2.3.0' })],
        }),
      ),
    );
    expect(parsed.canonical).toBe('@acme/new');
    expect(parsed.entries[0]).toMatchObject({ canonical: '@acme/metrics', requires: '>=2.0.0' });
    expect(parsed.entries[0]?.exports[0]).toMatchObject({ requires: '^2.3.0' });
  });

  it('reads a whole-package entry with module "" and no files', () => {
    const parsed = parseManifest(json(manifest({}, { module: undefined })));
    expect(parsed.entries[0]?.module).toBe('');
    expect(parsed.entries[0]).not.toHaveProperty('files');
  });

  it('gives back the same manifest from its own JSON (the filled-in defaults read as given)', () => {
    for (const [, input] of VALID) {
      const parsed = parseManifest(json(input));
      // A parsed entry without a module says module ''; a JSON one leaves the key out.
      const again = {
        ...parsed,
        entries: parsed.entries.map((e) => (e.module === '' ? { ...e, module: undefined } : e)),
      };
      expect(parseManifest(json(again))).toEqual(parsed);
    }
  });

  it('entryToJson gives each entry back in its JSON form, which parses to the same entry', () => {
    for (const [, input] of VALID) {
      const parsed = parseManifest(json(input));
      const again = { ...parsed, entries: parsed.entries.map(entryToJson) };
      expect(parseManifest(json(again))).toEqual(parsed);
      for (const written of again.entries) {
        expect(written.module).not.toBe('');
        expect(written.why).not.toBe('');
        expect(written.docs).not.toBe(written.code.toLowerCase());
      }
    }
  });

  it('refuses a version condition on a node: target with the JSON path of each', () => {
    expect(
      problemsOf(
        manifest(
          { package: 'fs', canonical: 'node:fs' },
          { module: undefined, requires: '>=1', exports: [{ ...WILDCARD, requires: '>=2' }] },
        ),
      ),
    ).toEqual([
      '$.entries[0].requires: "node:fs" is a Node builtin: a version condition needs a package target',
      '$.entries[0].exports[0].requires: "node:fs" is a Node builtin: a version condition needs a package target',
    ]);
  });

  it('reports a "*" problem only once per key', () => {
    expect(
      problemsOf(exportsOf({ name: '*', rewrite: 'stays', canonical: 'X' }, same('Socket'))),
    ).toEqual(['$.entries[0].exports[0].canonical: not on "*": each name maps to itself']);
  });
});
