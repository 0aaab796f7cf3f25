// The table of manifests both test/migration/manifest-json.test.ts (parseManifest: exactly these
// problems, by JSON path) and test/meta/manifest-schema.test.ts (the JSON Schema: the same verdict,
// except for the checks only the parser makes) run.

type Json = Record<string, unknown>;

export const EXPORT = {
  name: 'Socket',
  rewrite: 'same-object',
  canonical: 'Socket',
  replacement: "import { Socket } from '@acme/new'",
};

export const ENTRY = {
  code: 'ACME001',
  module: 'sockets',
  summary: 'The old sockets.',
  why: 'Duplicated.',
  since: '1.0.0',
  removeIn: '2.0.0',
  exports: [EXPORT],
};

export const BASE = { package: '@acme/old', canonical: '@acme/new', entries: [ENTRY] };

/** BASE with the top level patched and these entries (each patched onto ENTRY). */
export const manifest = (top: Json, ...entries: Json[]): Json => ({
  ...BASE,
  entries: entries.length === 0 ? BASE.entries : entries.map((e) => ({ ...ENTRY, ...e })),
  ...top,
});

/** BASE with its one entry patched (a key set to undefined is left out). */
export const entry = (patch: Json, top: Json = {}): Json => manifest(top, patch);

/** BASE whose one entry has these exports. */
export const exportsOf = (...list: Json[]): Json => entry({ exports: list });

/** A same-object export of `name`. */
export const same = (name: string, extra: Json = {}): Json => ({
  name,
  rewrite: 'same-object',
  canonical: name,
  replacement: name,
  ...extra,
});

export const WILDCARD = { name: '*', rewrite: 'same-object' };

export const VALID: [string, unknown][] = [
  ['the base manifest', BASE],
  ['"*" alone', exportsOf(WILDCARD)],
  ['"*" next to listed names', exportsOf(same('Socket'), WILDCARD)],
  [
    '"*" with a replacement and a version condition',
    exportsOf({ ...WILDCARD, replacement: 'anything from @acme/new', requires: '^2.0.0' }),
  ],
  [
    '"*" stays and a listed manual export',
    exportsOf(
      { name: 'push', rewrite: 'manual', replacement: 'send' },
      { name: '*', rewrite: 'stays' },
    ),
  ],
  [
    'stays with a replacement and typeOnly',
    exportsOf(same('Socket'), {
      name: 'Options',
      rewrite: 'stays',
      typeOnly: true,
      replacement: 'unchanged',
    }),
  ],
  ['a default export', exportsOf(same('default'))],
  ['an entry canonical (a package subpath)', entry({ canonical: '@acme/new/sockets' })],
  [
    'entries with different targets',
    manifest(
      {},
      { code: 'ACME001', canonical: 'unified-ws' },
      { code: 'ACME002', module: 'metrics', canonical: '@acme/metrics' },
      { code: 'ACME003', module: 'events' },
    ),
  ],
  ['a tsconfig alias target', entry({ canonical: '@app/realtime/socket' })],
  ['a ~ alias target', entry({ canonical: '~/realtime/socket' })],
  [
    'a repository-file target at the top',
    entry(
      { module: undefined, files: ['src/legacy/socket.ts'] },
      { canonical: './src/realtime/socket.ts' },
    ),
  ],
  [
    'a repository-file target per entry, without extension',
    entry({ files: ['src/legacy/socket.ts'], canonical: './src/realtime/socket' }),
  ],
  ['a repository file at the root', entry({ canonical: './socket.ts' })],
  ['a whole package', entry({ module: undefined }, { canonical: '@acme/new' })],
  [
    'a whole package and its subpaths',
    manifest(
      {},
      { code: 'ACME001', module: undefined },
      { code: 'ACME002', module: 'testing', canonical: '@acme/new/testing' },
    ),
  ],
  [
    'a Node builtin target',
    manifest(
      { package: 'fs', canonical: 'node:fs' },
      { module: undefined, exports: [WILDCARD] },
      { code: 'ACME002', module: 'promises', canonical: 'node:fs/promises', exports: [WILDCARD] },
    ),
  ],
  ['a builtin only with node:', entry({ canonical: 'node:test' })],
  ['a bare builtin target', entry({ canonical: 'fs' })],
  [
    'version conditions on an entry and an export',
    entry({
      requires: '>=1.0.0',
      exports: [same('Socket', { requires: '>=7.8.0 <9' }), WILDCARD],
    }),
  ],
  [
    'a version condition on an entry with a package target under a node: top level',
    manifest(
      { package: 'fs', canonical: 'node:fs' },
      {
        canonical: 'fs-extra',
        requires: '>=11',
        exports: [same('Socket', { requires: '^11.2.0' })],
      },
    ),
  ],
  [
    'a "$schema"',
    manifest({ $schema: './node_modules/unified-ws/src/manifest/manifest.schema.json' }),
  ],
  ['an unknown top-level key (ignored, as always)', manifest({ description: 'ours' })],
  ['versions with a v and spaces', entry({ since: 'v1.0.0', removeIn: ' 2.0.0-rc.1+b7 ' })],
  [
    'a call rewrite',
    exportsOf({
      name: 'Factory',
      rewrite: 'call-rewrite',
      replacement: 'get()',
      calls: { import: 'get', members: { create: '{import}().forUser' } },
    }),
  ],
];

/** `schema`: whether the JSON Schema refuses it too, or only parseManifest does. */
export const INVALID: [string, unknown, string[], 'schema refuses' | 'parser only'][] = [
  // The forms of version 1.
  ['an array', [], ['$: must be an object'], 'schema refuses'],
  [
    'no entries',
    manifest({ entries: [] }),
    ['$.entries: must be a non-empty array'],
    'schema refuses',
  ],
  [
    'no package',
    manifest({ package: undefined }),
    ['$.package: must be a non-empty string'],
    'schema refuses',
  ],
  [
    'a blank summary',
    entry({ summary: '  ' }),
    ['$.entries[0].summary: must be a non-empty string'],
    'schema refuses',
  ],
  [
    'a malformed code',
    entry({ code: 'acme-1' }),
    ['$.entries[0].code: "acme-1" must look like UWS001'],
    'schema refuses',
  ],
  [
    'a bad version',
    entry({ since: '1.2' }),
    ['$.entries[0].since: "1.2" is not a semver version'],
    'schema refuses',
  ],
  [
    'an unknown entry key',
    entry({ removeAt: '2.0.0' }),
    ['$.entries[0].removeAt: unknown key'],
    'schema refuses',
  ],
  [
    'an unknown export key',
    exportsOf(same('Socket', { require: '>=1' })),
    ['$.entries[0].exports[0].require: unknown key'],
    'schema refuses',
  ],
  [
    'an unknown calls key',
    exportsOf({
      name: 'F',
      rewrite: 'call-rewrite',
      replacement: 'R',
      calls: { import: 'g', value: 'x', bogus: 1 },
    }),
    ['$.entries[0].exports[0].calls.bogus: unknown key'],
    'schema refuses',
  ],
  [
    'calls with nothing to rewrite',
    exportsOf({ name: 'F', rewrite: 'call-rewrite', replacement: 'R', calls: { import: 'g' } }),
    ['$.entries[0].exports[0].calls: needs at least one of'],
    'schema refuses',
  ],
  [
    'an unknown rewrite',
    exportsOf({ name: 'X', rewrite: 'magic', replacement: 'Y' }),
    [
      '$.entries[0].exports[0].rewrite: must be one of same-object, rename, call-rewrite, manual, stays',
    ],
    'schema refuses',
  ],
  [
    'a rename without canonical',
    exportsOf({ name: 'X', rewrite: 'rename', replacement: 'Y' }),
    ['$.entries[0].exports[0].canonical: required for rewrite "rename"'],
    'schema refuses',
  ],
  [
    'a manual export without replacement',
    exportsOf({ name: 'X', rewrite: 'manual' }),
    ['$.entries[0].exports[0].replacement: must be a non-empty string'],
    'schema refuses',
  ],
  [
    'an export that is not an identifier',
    exportsOf({ name: 'a-b', rewrite: 'manual', replacement: 'Y' }),
    ['$.entries[0].exports[0].name: "a-b" is not an identifier'],
    'schema refuses',
  ],
  [
    'calls on a manual export',
    exportsOf({
      name: 'X',
      rewrite: 'manual',
      replacement: 'Y',
      calls: { import: 'g', value: 'x' },
    }),
    ['$.entries[0].exports[0].calls: only for rewrite "call-rewrite"'],
    'schema refuses',
  ],
  [
    'removal before since',
    entry({ removeIn: '0.9.0' }),
    ['$.entries[0].removeIn: 0.9.0 must be later'],
    'parser only',
  ],
  [
    'a duplicate code',
    manifest({}, {}, { module: 'other' }),
    ['$.entries[1].code: "ACME001" is used by an earlier entry'],
    'parser only',
  ],
  [
    'a name listed twice',
    exportsOf(same('Socket'), same('Socket')),
    ['$.entries[0].exports[1].name: "Socket" is listed twice'],
    'parser only',
  ],
  // "*".
  [
    '"*" with rename',
    exportsOf({ name: '*', rewrite: 'rename', replacement: 'R' }),
    ['$.entries[0].exports[0].rewrite: "*" takes "same-object" or "stays", not "rename"'],
    'schema refuses',
  ],
  [
    '"*" with manual',
    exportsOf({ name: '*', rewrite: 'manual', replacement: 'R' }),
    ['$.entries[0].exports[0].rewrite: "*" takes "same-object" or "stays", not "manual"'],
    'schema refuses',
  ],
  [
    '"*" with a canonical',
    exportsOf({ ...WILDCARD, canonical: 'Socket' }),
    ['$.entries[0].exports[0].canonical: not on "*"'],
    'schema refuses',
  ],
  [
    '"*" with typeOnly',
    exportsOf({ ...WILDCARD, typeOnly: true }),
    ['$.entries[0].exports[0].typeOnly: not on "*"'],
    'schema refuses',
  ],
  [
    '"*" twice',
    exportsOf(WILDCARD, WILDCARD),
    ['$.entries[0].exports[1].name: "*" is listed twice'],
    'parser only',
  ],
  [
    'a name with a star in it',
    exportsOf({ ...WILDCARD, name: 'a*' }),
    [
      '$.entries[0].exports[0].name: "a*" is not an identifier',
      '$.entries[0].exports[0].canonical: required for rewrite "same-object"',
      '$.entries[0].exports[0].replacement: must be a non-empty string',
    ],
    'schema refuses',
  ],
  // stays.
  [
    'stays with a canonical',
    exportsOf(same('Socket'), { name: 'X', rewrite: 'stays', canonical: 'Y' }),
    ['$.entries[0].exports[1].canonical: not for rewrite "stays"'],
    'schema refuses',
  ],
  [
    'stays with a version condition',
    exportsOf(same('Socket'), { name: 'X', rewrite: 'stays', requires: '>=1' }),
    ['$.entries[0].exports[1].requires: not for rewrite "stays"'],
    'schema refuses',
  ],
  [
    '"*" stays with a canonical',
    exportsOf(same('Socket'), { name: '*', rewrite: 'stays', canonical: 'Y' }),
    ['$.entries[0].exports[1].canonical: not on "*"'],
    'schema refuses',
  ],
  [
    'an entry where everything stays',
    exportsOf({ name: 'X', rewrite: 'stays' }, { name: '*', rewrite: 'stays' }),
    ['$.entries[0].exports: every export has rewrite "stays"'],
    'schema refuses',
  ],
  [
    'calls on stays',
    exportsOf(same('Socket'), { name: 'X', rewrite: 'stays', calls: { import: 'g', value: 'x' } }),
    ['$.entries[0].exports[1].calls: only for rewrite "call-rewrite"'],
    'schema refuses',
  ],
  // Canonical targets.
  [
    'an empty entry canonical',
    entry({ canonical: '' }),
    ['$.entries[0].canonical: must be a non-empty string'],
    'schema refuses',
  ],
  [
    'a canonical going up',
    entry({ canonical: '../common/socket' }),
    ['$.entries[0].canonical: "../common/socket" is not an import specifier'],
    'schema refuses',
  ],
  [
    'an absolute canonical',
    manifest({ canonical: '/srv/socket.ts' }),
    ['$.canonical: "/srv/socket.ts" is not an import specifier'],
    'schema refuses',
  ],
  [
    'a Windows canonical',
    manifest({ canonical: 'C:\\src\\socket.ts' }),
    ['$.canonical: "C:\\src\\socket.ts" is not an import specifier'],
    'schema refuses',
  ],
  [
    'a dot canonical',
    entry({ canonical: '.' }),
    ['$.entries[0].canonical: "." is not an import specifier'],
    'schema refuses',
  ],
  [
    'a repository file escaping the root',
    entry({ canonical: './src/../../socket.ts' }),
    [
      '$.entries[0].canonical: "./src/../../socket.ts" must be "./" then a path inside the repository',
    ],
    'schema refuses',
  ],
  [
    'the root itself',
    entry({ canonical: './' }),
    ['$.entries[0].canonical: "./" must be'],
    'schema refuses',
  ],
  [
    'an empty segment',
    entry({ canonical: './src//socket.ts' }),
    ['$.entries[0].canonical: "./src//socket.ts" must be'],
    'schema refuses',
  ],
  [
    'a backslash',
    manifest({ canonical: './src\\socket.ts' }),
    ['$.canonical: "./src\\socket.ts" must be'],
    'schema refuses',
  ],
  [
    'no builtin',
    entry({ canonical: 'node:sockets' }),
    ['$.entries[0].canonical: "node:sockets" is not a Node builtin module'],
    'parser only',
  ],
  [
    'a whole package as its own target',
    entry({ module: undefined }, { canonical: '@acme/old' }),
    ['$.entries[0]: the legacy module "@acme/old" is its own canonical target'],
    'parser only',
  ],
  [
    'a subpath as its own target',
    entry({ canonical: '@acme/old/sockets' }),
    ['$.entries[0]: the legacy module "@acme/old/sockets" is its own canonical target'],
    'parser only',
  ],
  [
    'a file target among its own files',
    entry({ files: ['src/socket.ts'], canonical: './src/socket' }),
    ['$.entries[0]: its canonical target "./src/socket" is one of its own files'],
    'parser only',
  ],
  // Whole packages.
  [
    'two whole-package entries',
    manifest({}, { module: undefined }, { code: 'ACME002', module: undefined }),
    [
      '$.entries[1]: has neither "module" nor "files", so it stands for the whole package, as $.entries[0] already does',
    ],
    'parser only',
  ],
  // Version conditions.
  [
    'a version condition that is no range',
    entry({ requires: 'soon' }),
    ['$.entries[0].requires: "soon" is not a semver range'],
    'parser only',
  ],
  [
    'an export version condition that is no range',
    exportsOf(same('Socket', { requires: 'latest' })),
    ['$.entries[0].exports[0].requires: "latest" is not a semver range'],
    'parser only',
  ],
  [
    'an empty version condition',
    entry({ requires: '' }),
    ['$.entries[0].requires: must be a non-empty string'],
    'schema refuses',
  ],
  [
    'a version condition under a node: top level',
    manifest(
      { package: 'fs', canonical: 'node:fs' },
      { module: undefined, requires: '>=1', exports: [WILDCARD] },
    ),
    [
      '$.entries[0].requires: "node:fs" is a Node builtin: a version condition needs a package target',
    ],
    'schema refuses',
  ],
  [
    'an export version condition on a node: entry',
    entry({ canonical: 'node:fs', exports: [{ ...WILDCARD, requires: '>=1' }] }),
    ['$.entries[0].exports[0].requires: "node:fs" is a Node builtin'],
    'schema refuses',
  ],
  [
    'a version condition on a repository file',
    entry({ canonical: './src/socket.ts', requires: '>=1' }),
    ['$.entries[0].requires: "./src/socket.ts" is a repository file'],
    'schema refuses',
  ],
  [
    'an export version condition under a repository-file top level',
    manifest({ canonical: './src/socket.ts' }, { exports: [same('Socket', { requires: '>=1' })] }),
    ['$.entries[0].exports[0].requires: "./src/socket.ts" is a repository file'],
    'schema refuses',
  ],
  [
    'a version condition on a bare builtin',
    entry({ canonical: 'fs', requires: '>=1' }),
    ['$.entries[0].requires: "fs" is a Node builtin'],
    'parser only',
  ],
  [
    'a version condition on an alias that names no package',
    entry({ canonical: '~/realtime', requires: '>=1' }),
    ['$.entries[0].requires: "~/realtime" names no package'],
    'parser only',
  ],
  [
    'a "$schema" that is not a string',
    manifest({ $schema: 7 }),
    ['$.$schema: must be a string'],
    'schema refuses',
  ],
];
