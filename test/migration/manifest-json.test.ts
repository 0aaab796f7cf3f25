import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST } from '../../src/manifest/builtin';
import { parseManifest } from '../../src/manifest/from-json';

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
      'neither module nor files',
      withEntry({ module: undefined, files: undefined }),
      'needs "module"',
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
