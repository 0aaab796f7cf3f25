/**
 * How a use of a legacy export is rewritten:
 * - `same-object`: the same object under the same name; only the import path changes.
 * - `rename`: the same object under another canonical name.
 * - `call-rewrite`: another shape; calls are rewritten where the receiver is statically known
 *   (e.g. `WebSocketManagerFactory.createManager(x)` → `getWebSocketManager().forUser(x)`).
 * - `manual`: no statically safe rewrite; the codemod leaves a marker and the shim keeps working.
 * - `stays`: not deprecated: the name is still valid at the legacy path (a partial deprecation of
 *   the module). No rewrite, no marker, not counted by check or audit (see isDeprecatedExport).
 */
export type RewriteKind = 'same-object' | 'rename' | 'call-rewrite' | 'manual' | 'stays';

export const REWRITE_KINDS: readonly RewriteKind[] = [
  'same-object',
  'rename',
  'call-rewrite',
  'manual',
  'stays',
];

/**
 * The export name `"*"`: every export of the legacy module that its entry does not list by name
 * (named, default and namespace uses alike), each mapping to the same name at the canonical target.
 * Its rewrite is `same-object` (they all move) or `stays` (they all stay: only the listed names are
 * deprecated). It has no `canonical` and no `typeOnly`; see exportFor and canonicalName.
 */
export const WILDCARD = '*';

export interface LegacyExport {
  /**
   * The exported name consumers import from the legacy module: an identifier, `default`, or
   * `"*"` (WILDCARD) for every export the entry does not list by name.
   */
  name: string;
  /** True for a type-only export (an interface or type alias). Never on `"*"`. */
  typeOnly?: boolean;
  rewrite: RewriteKind;
  /**
   * The export NAME at the canonical target it maps to (not a module: the module is the entry's
   * canonicalOf). Required for same-object and rename, except on `"*"` (each name maps to itself);
   * absent on `stays`. Read it through canonicalName, which handles `"*"`.
   */
  canonical?: string;
  /**
   * What to write instead, for people: warnings, docs and lint messages show it. Always set on a
   * parsed manifest: a JSON manifest may leave it out on `"*"` and on `stays`, and parseManifest
   * fills in defaultReplacement.
   */
  replacement: string;
  /** For call-rewrite: how the codemod rewrites each use (every use must match, or none is rewritten). */
  calls?: CallRewrite;
  /**
   * A semver range (`">=7.8.0"`) the installed version of the canonical package must satisfy for
   * this mapping to apply; it overrides the entry's `requires` (read both through requiresOf). Only
   * for a package target (never `node:` or a repository file), never on `stays`.
   */
  requires?: string;
}

/**
 * The statically safe rewrites of a call-rewrite export. `{import}` in a template stands for the
 * local name of the canonical import the codemod adds (`getWebSocketManager`, or an alias of it
 * where that name is taken).
 */
export interface CallRewrite {
  /** The canonical export the rewritten code uses. */
  import: string;
  /** A use as a value (`x`, `x.y`): replaced by this expression, e.g. `{import}()`. */
  value?: string;
  /** A call `x(args)`: the callee replaced by this, e.g. `{import}().forUser`. */
  call?: string;
  /** A method call `x.m(args)`: the callee `x.m` replaced by the template for `m`. */
  members?: Readonly<Record<string, string>>;
  /**
   * A class whose instances are rewritten where the receiver is statically known: a top-level
   * `const a = new X(arg?)` whose every use is `a.m(args)` with `m` listed; `{receiver}` is the
   * constructor's argument when it is a plain name, else `{import}()`. The declaration goes.
   */
  instance?: Readonly<Record<string, string>>;
}

export interface ManifestEntry {
  /** Stable deprecation code, e.g. UWS004. Retired codes are never reused. */
  code: string;
  /**
   * The legacy package of this entry, overriding the manifest's `package` (so one manifest can move
   * several packages, like every Node builtin to its `node:` name). Read it through legacyPackageOf.
   */
  package?: string;
  /**
   * The legacy module: a subpath of the entry's package (`websocket-core/manager`). `''` when the
   * entry has none: then either `files` name the legacy module, or — no `files` either — the
   * package itself is the legacy module (isWholePackage; at most one such entry per package).
   */
  module: string;
  /**
   * Repository files that are this legacy module (user manifests), relative to the repository
   * root; resolved through relative imports, tsconfig paths and index files by the codemods.
   */
  files?: readonly string[];
  /**
   * The canonical import specifier of this entry, overriding the manifest's `canonical` (so one
   * manifest can move modules to several targets). Read it through canonicalOf; classify it with
   * classifyCanonical (a package, a Node builtin, or a repository file written `./path`).
   */
  canonical?: string;
  /** A semver range of the canonical package, for every export of the entry (see LegacyExport.requires). */
  requires?: string;
  /** One line: what the legacy entry point is. */
  summary: string;
  /** Why it is deprecated. */
  why: string;
  exports: readonly LegacyExport[];
  /** The package version from which the canonical replacements exist (semver). */
  since: string;
  /** The package version in which the legacy entry point is removed; using it then throws. */
  removeIn: string;
  /**
   * Anchor of its section in the manifest's `docs` (docs/deprecations.md for the built-in one), or a
   * URL of its own.
   */
  docs: string;
}

export interface Manifest {
  /**
   * The package whose subpaths the entries name (or, for a whole-package entry, the legacy module
   * itself), unless an entry names its own `package`.
   */
  package: string;
  /**
   * The canonical import specifier: the target of every entry without a `canonical` of its own
   * (canonicalOf). A package specifier (`unified-ws`, `@scope/pkg/sub`), a Node builtin
   * (`node:fs`), a tsconfig alias, or a repository file from the repository root (`./src/x.ts`).
   */
  canonical: string;
  entries: readonly ManifestEntry[];
  /**
   * Where the entries are explained: a URL or a repository path (`docs/migrations.md`), without an
   * anchor; an entry's `docs` is its anchor there. Markers link `<docs>#<anchor>` (markerReference).
   */
  docs?: string;
  /**
   * The file the manifest was read from (loadManifest sets it; not a JSON key): markers of a manifest
   * without `docs` name it, so a reader finds the entry.
   */
  file?: string;
}

/** An export as a JSON manifest writes it: parseManifest fills in a `replacement` it leaves out. */
export interface LegacyExportJson {
  name: string;
  rewrite: RewriteKind;
  canonical?: string;
  replacement?: string;
  typeOnly?: boolean;
  calls?: CallRewrite;
  requires?: string;
}

/**
 * An entry as a JSON manifest writes it (docs/manifest.md, "Entries"): parseManifest fills in
 * `module`, `why`, `docs` and the replacements it leaves out.
 */
export interface ManifestEntryJson {
  code: string;
  package?: string;
  module?: string;
  files?: readonly string[];
  canonical?: string;
  requires?: string;
  summary: string;
  why?: string;
  exports: readonly LegacyExportJson[];
  since: string;
  removeIn: string;
  docs?: string;
}
