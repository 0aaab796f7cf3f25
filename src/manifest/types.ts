/**
 * How a use of a legacy export is rewritten:
 * - `same-object`: the same object under the same name; only the import path changes.
 * - `rename`: the same object under another canonical name.
 * - `call-rewrite`: another shape; calls are rewritten where the receiver is statically known
 *   (e.g. `WebSocketManagerFactory.createManager(x)` → `getWebSocketManager().forUser(x)`).
 * - `manual`: no statically safe rewrite; the codemod leaves a marker and the shim keeps working.
 */
export type RewriteKind = 'same-object' | 'rename' | 'call-rewrite' | 'manual';

export const REWRITE_KINDS: readonly RewriteKind[] = [
  'same-object',
  'rename',
  'call-rewrite',
  'manual',
];

export interface LegacyExport {
  /** The exported name consumers import from the legacy module. */
  name: string;
  /** True for a type-only export (an interface or type alias). */
  typeOnly?: boolean;
  rewrite: RewriteKind;
  /** The canonical export of the package root it maps to, for same-object and rename. */
  canonical?: string;
  /** What to write instead, for people: warnings, docs and lint messages show it. */
  replacement: string;
  /** For call-rewrite: how the codemod rewrites each use (every use must match, or none is rewritten). */
  calls?: CallRewrite;
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
  /** The legacy module: a subpath of the package (`websocket-core/manager`). */
  module: string;
  /**
   * Repository files that are this legacy module (user manifests), relative to the repository
   * root; resolved through relative imports, tsconfig paths and index files by the codemods.
   */
  files?: readonly string[];
  /** One line: what the legacy entry point is. */
  summary: string;
  /** Why it is deprecated. */
  why: string;
  exports: readonly LegacyExport[];
  /** The package version from which the canonical replacements exist (semver). */
  since: string;
  /** The package version in which the legacy entry point is removed; using it then throws. */
  removeIn: string;
  /** Anchor of its section in docs/deprecations.md. */
  docs: string;
}

export interface Manifest {
  /** The package whose subpaths the entries name. */
  package: string;
  /** The canonical import specifier. */
  canonical: string;
  entries: readonly ManifestEntry[];
}
