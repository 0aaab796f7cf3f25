import { REWRITE_KINDS, WILDCARD } from './types';

// The JSON Schema of a user manifest, and the key tables and patterns parseManifest checks with:
// one description of the format. `npm run generate` writes MANIFEST_SCHEMA_FILE from
// manifestSchema(); test/meta/manifest-schema.test.ts proves the file is current and that the
// schema and parseManifest accept and refuse the same manifests, apart from the checks JSON Schema
// cannot say (docs/manifest.md#validation lists them).

/** Where the schema ships (package.json "files" has "src"): `unified-ws/src/manifest/…`. */
export const MANIFEST_SCHEMA_FILE = 'src/manifest/manifest.schema.json';

/** The `$schema` a manifest at a repository root names, for editors. */
export const MANIFEST_SCHEMA_REFERENCE = `./node_modules/unified-ws/${MANIFEST_SCHEMA_FILE}`;

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

const NUM = String.raw`(?:0|[1-9]\d*)`;
const PRE_ID = String.raw`(?:\d*[a-zA-Z-][a-zA-Z0-9-]*|${NUM})`;
const BUILD_ID = '[a-zA-Z0-9-]+';
const SEGMENT = String.raw`(?!\.\.?(?:/|$))[^/\\]+`;

/** The regular expressions of the format (ECMAScript, as JSON Schema `pattern`s; compile with "u"). */
export const PATTERNS = {
  /** Not only white space (the parser trims). */
  text: String.raw`\S`,
  identifier: String.raw`^[A-Za-z_$][\w$]*$`,
  /** An export name: an identifier (`default` is one) or `"*"`. */
  exportName: String.raw`^(?:\*|[A-Za-z_$][\w$]*)$`,
  code: String.raw`^[A-Z][A-Z0-9_-]*\d+$`,
  /** What semver.valid accepts (a strict semver version, optionally `v`-prefixed, trimmed). */
  version: String.raw`^\s*v?${NUM}\.${NUM}\.${NUM}(?:-${PRE_ID}(?:\.${PRE_ID})*)?(?:\+${BUILD_ID}(?:\.${BUILD_ID})*)?\s*$`,
  /** Starts like a path but not like `./`: `../x`, `.x`, `/x`, `\x`, `C:/x` are no canonical. */
  notASpecifier: String.raw`^(?:\.(?!/)|[/\\]|[A-Za-z]:[/\\])`,
  /** A repository file canonical: `./`, then segments that are not `.`, `..`, empty, or with `\`. */
  repositoryFile: String.raw`^\./${SEGMENT}(?:/${SEGMENT})*$`,
  /** The top-level `docs`: a URL or a path, without white space or an anchor. */
  docsBase: String.raw`^[^\s#]+$`,
  /** A canonical that takes no version condition: a `node:` builtin or a repository file. */
  unversionedTarget: String.raw`^(?:node:|\./)`,
} as const;

const text = (description: string) => ({ type: 'string', pattern: PATTERNS.text, description });

const specifier = (description: string) => ({
  type: 'string',
  pattern: PATTERNS.text,
  not: { pattern: PATTERNS.notASpecifier },
  if: { type: 'string', pattern: '^\\./' },
  then: { pattern: PATTERNS.repositoryFile },
  description,
});

const range = (description: string) => text(description);

const version = (description: string) => ({
  type: 'string',
  pattern: PATTERNS.version,
  maxLength: 256,
  description,
});

const templates = (description: string) => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});

/** The keys of the top level of a manifest (others are ignored, as they always were). */
export const MANIFEST_PROPERTIES = {
  $schema: {
    type: 'string',
    description: `This file's schema, for editors: "${MANIFEST_SCHEMA_REFERENCE}". Ignored otherwise.`,
  },
  package: text(
    'The package whose subpaths the entries name ("@scope/old-pkg", "fs"), unless an entry names its own; for an entry with neither "module" nor "files", the legacy module itself.',
  ),
  canonical: specifier(
    'Where the entries move to, unless an entry names its own "canonical": a package specifier ("@scope/new-pkg", "@scope/new-pkg/sub"), a tsconfig alias, a Node builtin ("node:fs"), or a repository file from the repository root ("./src/realtime/socket.ts").',
  ),
  entries: {
    type: 'array',
    minItems: 1,
    items: { $ref: '#/definitions/entry' },
    description: 'One entry per legacy module.',
  },
  docs: {
    type: 'string',
    pattern: PATTERNS.docsBase,
    description:
      'Where the entries are explained, for the markers the codemod leaves: a URL or a repository path ("docs/migrations.md"), without an anchor; each entry\'s "docs" is its anchor there. Without it, markers name the manifest file.',
  },
} as const;

export const ENTRY_PROPERTIES = {
  code: {
    type: 'string',
    pattern: PATTERNS.code,
    description:
      'Stable deprecation code, unique in the manifest: capitals, ending in digits (ACME001). Never reuse a retired one.',
  },
  package: text(
    'This entry\'s legacy package, overriding the top-level "package" ("path", "@scope/old-pkg"): one manifest can move several packages.',
  ),
  module: text(
    'The legacy module as a subpath of the entry\'s package ("realtime/socket-manager"). Without "module" and "files", the entry is the whole package.',
  ),
  files: {
    type: 'array',
    minItems: 1,
    items: { type: 'string', minLength: 1 },
    description:
      'Repository files that are this legacy module, relative to the repository root; resolved through relative imports, tsconfig paths and index files.',
  },
  canonical: specifier(
    'This entry\'s target, overriding the top-level "canonical": a package specifier, a tsconfig alias, a Node builtin ("node:fs") or a repository file ("./src/realtime/socket.ts").',
  ),
  requires: range(
    'A semver range (">=7.8.0") the installed canonical package must satisfy for this entry\'s mappings to apply; an export\'s own "requires" overrides it. Only for a package target.',
  ),
  summary: text('One line: what the legacy module is.'),
  why: text('Why it is deprecated.'),
  exports: {
    type: 'array',
    minItems: 1,
    items: { $ref: '#/definitions/export' },
    contains: {
      type: 'object',
      required: ['rewrite'],
      properties: { rewrite: { not: { const: 'stays' } } },
    },
    description:
      'The legacy names and where each goes; "*" covers every name not listed. At least one must not be "stays".',
  },
  since: version('The version from which the canonical replacements exist (semver, like 1.4.0).'),
  removeIn: version(
    'The version in which the legacy module is removed (semver, later than "since").',
  ),
  docs: text(
    'Anchor of its section in the manifest\'s "docs" (default: the code in lower case), or a URL of its own.',
  ),
} as const;

export const EXPORT_PROPERTIES = {
  name: {
    type: 'string',
    pattern: PATTERNS.exportName,
    description:
      'The exported name, "default", or "*" for every export this entry does not list by name (rewrite "same-object" or "stays"; each name maps to itself).',
  },
  typeOnly: { type: 'boolean', description: 'True for a type-only export. Not on "*".' },
  rewrite: {
    enum: [...REWRITE_KINDS],
    description:
      'same-object: only the import path changes; rename: the same object under "canonical"; call-rewrite: uses rewritten by "calls"; manual: a marker, no rewrite; stays: not deprecated, valid at the legacy path.',
  },
  canonical: {
    type: 'string',
    pattern: PATTERNS.identifier,
    description:
      'The export name at the target (the module is the entry\'s "canonical"). Required for same-object and rename; not on "*" or "stays".',
  },
  replacement: text(
    'What to write instead, for people (warnings, docs, lint messages). Optional on "*" and "stays" (a default is filled in).',
  ),
  calls: { $ref: '#/definitions/calls' },
  requires: range(
    'A semver range of the canonical package for this mapping only, overriding the entry\'s "requires". Not on "stays"; only for a package target.',
  ),
} as const;

export const CALL_PROPERTIES = {
  import: text(
    'The canonical export the rewritten code uses; "{import}" in a template is its local name.',
  ),
  value: text('A use as a value is replaced by this expression, e.g. "{import}()".'),
  call: text('A call x(args): the callee replaced by this, e.g. "{import}().forUser".'),
  members: templates('A method call x.m(args): the callee x.m replaced by the template for m.'),
  instance: templates(
    'For a class: `const a = new X(arg?)` whose every use is a.m(args) with m listed; "{receiver}" is the constructor argument.',
  ),
} as const;

export const ENTRY_KEYS: ReadonlySet<string> = new Set(Object.keys(ENTRY_PROPERTIES));
export const EXPORT_KEYS: ReadonlySet<string> = new Set(Object.keys(EXPORT_PROPERTIES));
export const CALL_KEYS: ReadonlySet<string> = new Set(Object.keys(CALL_PROPERTIES));

const WITH_NAME = (name: string) => ({ required: ['name'], properties: { name: { const: name } } });
const WITH_REWRITE = (rewrite: unknown) => ({
  required: ['rewrite'],
  properties: { rewrite: Array.isArray(rewrite) ? { enum: rewrite } : { const: rewrite } },
});

/** No version condition anywhere in an entry: its target is a builtin or a repository file. */
const NO_REQUIRES = {
  properties: {
    requires: false,
    exports: { type: 'array', items: { type: 'object', properties: { requires: false } } },
  },
};

/** The JSON Schema (draft-07) of a user manifest. */
export function manifestSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'unified-ws migration manifest',
    description:
      'Legacy modules, where their exports go and how uses are rewritten: read by parseManifest and the codemods, check, audit and migrate (--manifest). See docs/manifest.md.',
    type: 'object',
    required: ['package', 'canonical', 'entries'],
    properties: MANIFEST_PROPERTIES,
    allOf: [
      {
        if: {
          required: ['canonical'],
          properties: { canonical: { type: 'string', pattern: PATTERNS.unversionedTarget } },
        },
        then: {
          properties: {
            entries: {
              type: 'array',
              items: {
                type: 'object',
                if: { not: { required: ['canonical'] } },
                then: NO_REQUIRES,
              },
            },
          },
        },
      },
    ],
    definitions: {
      entry: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'summary', 'since', 'removeIn', 'exports'],
        properties: ENTRY_PROPERTIES,
        allOf: [
          {
            if: {
              required: ['canonical'],
              properties: { canonical: { type: 'string', pattern: PATTERNS.unversionedTarget } },
            },
            then: NO_REQUIRES,
          },
        ],
      },
      export: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'rewrite'],
        properties: EXPORT_PROPERTIES,
        allOf: [
          {
            if: { anyOf: [WITH_NAME(WILDCARD), WITH_REWRITE('stays')] },
            else: { required: ['replacement'] },
          },
          {
            if: {
              ...WITH_REWRITE(['same-object', 'rename']),
              not: WITH_NAME(WILDCARD),
            },
            then: { required: ['canonical'] },
          },
          {
            if: WITH_NAME(WILDCARD),
            then: {
              properties: {
                rewrite: { enum: ['same-object', 'stays'] },
                canonical: false,
                typeOnly: false,
              },
            },
          },
          {
            if: WITH_REWRITE('stays'),
            then: { properties: { canonical: false, requires: false } },
          },
          {
            if: { required: ['calls'] },
            then: WITH_REWRITE('call-rewrite'),
          },
        ],
      },
      calls: {
        type: 'object',
        additionalProperties: false,
        required: ['import'],
        properties: CALL_PROPERTIES,
        anyOf: [
          { required: ['value'] },
          { required: ['call'] },
          { required: ['members'] },
          { required: ['instance'] },
        ],
      },
    },
  };
}

/** The text of MANIFEST_SCHEMA_FILE: JSON laid out as prettier lays it out (it is not ignored). */
export function manifestSchemaText(): string {
  return `${formatJson(manifestSchema(), '', 0, 0)}\n`;
}

const PRINT_WIDTH = 100;

/**
 * JSON with objects expanded and arrays of primitives on one line where the line fits within
 * PRINT_WIDTH (`lead` characters before the value, `trail` after it): prettier's layout.
 */
function formatJson(value: unknown, indent: string, lead: number, trail: number): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (
      value.every((v) => typeof v !== 'object' || v === null) &&
      lead + flat.length + trail <= PRINT_WIDTH
    )
      return flat;
    const items = value.map(
      (v, i) => `${inner}${formatJson(v, inner, inner.length, i < value.length - 1 ? 1 : 0)}`,
    );
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const members = entries.map(([key, v], i) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return `${head}${formatJson(v, inner, head.length, i < entries.length - 1 ? 1 : 0)}`;
  });
  return `{\n${members.join(',\n')}\n${indent}}`;
}
