import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import semver from 'semver';
import { ManifestError } from '../errors/manifest-error';
import { CALL_KEYS, ENTRY_KEYS, EXPORT_KEYS, PATTERNS } from './schema';
import {
  classifyCanonical,
  defaultReplacement,
  legacyPackageSpecifier,
  type CanonicalTarget,
} from './targets';
import {
  REWRITE_KINDS,
  WILDCARD,
  type CallRewrite,
  type LegacyExport,
  type Manifest,
  type ManifestEntry,
  type RewriteKind,
} from './types';

type Json = Record<string, unknown>;

const IDENTIFIER = new RegExp(PATTERNS.identifier, 'u');
const CODE = new RegExp(PATTERNS.code, 'u');
const NOT_A_SPECIFIER = new RegExp(PATTERNS.notASpecifier, 'u');
const REPOSITORY_FILE = new RegExp(PATTERNS.repositoryFile, 'u');
const DOCS_BASE = new RegExp(PATTERNS.docsBase, 'u');

/** An export as read, before its entry's target fills in a default replacement. */
type ExportDraft = Omit<LegacyExport, 'replacement'> & { replacement?: string };

/** What entries are read against: the top level, and what earlier entries claimed. */
interface Context {
  package: string | undefined;
  /** The top-level canonical, when it is valid. */
  canonical: string | undefined;
  codes: Set<string>;
  /** The JSON path of each package's whole-package entry, once one is read. */
  wholePackage: Map<string, string>;
}

/**
 * Reads a manifest that users write for their own consolidation (JSON text or a parsed object).
 * Every problem is collected, with its JSON path, into one ManifestError (code
 * UWS_ERR_MANIFEST_INVALID), so a user fixes a file in one pass. The format is
 * docs/manifest.md; src/manifest/manifest.schema.json is its JSON Schema.
 */
export function parseManifest(input: string | unknown, source = 'manifest'): Manifest {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ManifestError(source, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  const problems: string[] = [];
  const manifest = readManifest(value, problems);
  if (problems.length > 0 || !manifest) throw new ManifestError(source, problems);
  return manifest;
}

function readManifest(value: unknown, problems: string[]): Manifest | undefined {
  if (!isObject(value)) {
    problems.push('$: must be an object with "package", "canonical" and "entries"');
    return undefined;
  }
  if (value.$schema !== undefined && typeof value.$schema !== 'string')
    problems.push('$.$schema: must be a string (the path or URL of the schema)');
  const pkg = str(value, 'package', '$', problems);
  const canonical = str(value, 'canonical', '$', problems);
  const canonicalValid =
    canonical !== undefined && checkSpecifier(canonical, '$.canonical', problems);
  const docs = optionalStr(value, 'docs', '$', problems);
  if (docs !== undefined && !DOCS_BASE.test(docs))
    problems.push(
      `$.docs: "${docs}" must be a URL or a repository path without white space or a "#" anchor (each entry's "docs" is its anchor)`,
    );
  if (!Array.isArray(value.entries) || value.entries.length === 0) {
    problems.push('$.entries: must be a non-empty array');
    return undefined;
  }
  const context: Context = {
    package: pkg,
    canonical: canonicalValid ? canonical : undefined,
    codes: new Set(),
    wholePackage: new Map(),
  };
  const entries = value.entries.map((raw, index) =>
    readEntry(raw, `$.entries[${index}]`, context, problems),
  );
  if (pkg === undefined || canonical === undefined || entries.some((e) => e === undefined))
    return undefined;
  return {
    package: pkg,
    canonical,
    entries: entries as ManifestEntry[],
    ...(docs === undefined ? {} : { docs }),
  };
}

function readEntry(
  raw: unknown,
  path: string,
  context: Context,
  problems: string[],
): ManifestEntry | undefined {
  if (!isObject(raw)) {
    problems.push(`${path}: must be an object`);
    return undefined;
  }
  unknownKeys(raw, ENTRY_KEYS, path, problems);
  const code = str(raw, 'code', path, problems);
  if (code !== undefined && !CODE.test(code))
    problems.push(`${path}.code: "${code}" must look like UWS001 (capitals, ending in digits)`);
  if (code !== undefined && context.codes.has(code))
    problems.push(`${path}.code: "${code}" is used by an earlier entry`);
  if (code !== undefined) context.codes.add(code);
  const ownPackage = optionalStr(raw, 'package', path, problems);
  const pkg = raw.package === undefined ? context.package : ownPackage;
  const module = optionalStr(raw, 'module', path, problems);
  const files = raw.files;
  if (
    files !== undefined &&
    (!Array.isArray(files) ||
      files.length === 0 ||
      files.some((f) => typeof f !== 'string' || f === ''))
  ) {
    problems.push(`${path}.files: must be a non-empty array of file paths`);
  }
  if (raw.module === undefined && files === undefined && pkg !== undefined) {
    // The whole package is the legacy module: one entry per package can say so.
    const earlier = context.wholePackage.get(pkg);
    if (earlier !== undefined)
      problems.push(
        `${path}: has neither "module" nor "files", so it stands for the whole package, as ${earlier} already does: give it a "module" or "files"`,
      );
    else context.wholePackage.set(pkg, path);
  }
  const ownCanonical = optionalStr(raw, 'canonical', path, problems);
  const ownValid =
    ownCanonical !== undefined && checkSpecifier(ownCanonical, `${path}.canonical`, problems);
  const canonical =
    ownCanonical === undefined ? context.canonical : ownValid ? ownCanonical : undefined;
  const target = canonical === undefined ? undefined : classifyCanonical(canonical);
  const requires = range(raw, path, problems);
  if (requires !== undefined) versionCondition(target, `${path}.requires`, problems);
  const summary = str(raw, 'summary', path, problems);
  const why = optionalStr(raw, 'why', path, problems);
  const since = version(raw, 'since', path, problems);
  const removeIn = version(raw, 'removeIn', path, problems);
  if (since && removeIn && !semver.gt(removeIn, since))
    problems.push(`${path}.removeIn: ${removeIn} must be later than since (${since})`);
  const docs = optionalStr(raw, 'docs', path, problems);
  if (!Array.isArray(raw.exports) || raw.exports.length === 0) {
    problems.push(`${path}.exports: must be a non-empty array`);
    return undefined;
  }
  const names = new Set<string>();
  const exports = raw.exports.map((e, index) => {
    const exportPath = `${path}.exports[${index}]`;
    const draft = readExport(e, exportPath, names, problems);
    if (draft?.requires !== undefined) versionCondition(target, `${exportPath}.requires`, problems);
    return draft;
  });
  if (!raw.exports.some((e) => isObject(e) && e.rewrite !== undefined && e.rewrite !== 'stays'))
    problems.push(
      `${path}.exports: every export has rewrite "stays", so the entry deprecates nothing`,
    );
  if (canonical !== undefined && pkg !== undefined)
    selfTarget(
      Array.isArray(files)
        ? { module: module ?? '', files: files as string[] }
        : { module: module ?? '' },
      pkg,
      canonical,
      path,
      problems,
    );
  if (
    code === undefined ||
    (raw.package !== undefined && ownPackage === undefined) ||
    summary === undefined ||
    since === undefined ||
    removeIn === undefined ||
    canonical === undefined ||
    exports.some((e) => !e)
  )
    return undefined;
  const result: ManifestEntry = {
    code,
    ...(ownPackage === undefined ? {} : { package: ownPackage }),
    module: module ?? '',
    summary,
    why: why ?? '',
    exports: (exports as ExportDraft[]).map((e) => ({
      ...e,
      replacement: e.replacement ?? defaultReplacement(e, canonical),
    })),
    since,
    removeIn,
    docs: docs ?? code.toLowerCase(),
  };
  if (Array.isArray(files)) result.files = files as string[];
  if (ownCanonical !== undefined) result.canonical = ownCanonical;
  if (requires !== undefined) result.requires = requires;
  return result;
}

function readExport(
  raw: unknown,
  path: string,
  names: Set<string>,
  problems: string[],
): ExportDraft | undefined {
  if (!isObject(raw)) {
    problems.push(`${path}: must be an object`);
    return undefined;
  }
  unknownKeys(raw, EXPORT_KEYS, path, problems);
  const name = str(raw, 'name', path, problems);
  const wildcard = name === WILDCARD;
  if (name !== undefined && !wildcard && !IDENTIFIER.test(name))
    problems.push(`${path}.name: "${name}" is not an identifier`);
  if (name !== undefined && names.has(name))
    problems.push(`${path}.name: "${name}" is listed twice in this entry`);
  if (name !== undefined) names.add(name);
  const rewrite = raw.rewrite;
  const known = REWRITE_KINDS.includes(rewrite as RewriteKind);
  if (!known) problems.push(`${path}.rewrite: must be one of ${REWRITE_KINDS.join(', ')}`);
  const stays = rewrite === 'stays';
  const canonical = optionalStr(raw, 'canonical', path, problems);
  if ((rewrite === 'same-object' || rewrite === 'rename') && canonical === undefined && !wildcard)
    problems.push(`${path}.canonical: required for rewrite "${String(rewrite)}"`);
  if (canonical !== undefined && !IDENTIFIER.test(canonical))
    problems.push(`${path}.canonical: "${canonical}" is not an identifier`);
  if (wildcard) {
    if (known && rewrite !== 'same-object' && !stays)
      problems.push(
        `${path}.rewrite: "*" takes "same-object" or "stays", not "${String(rewrite)}" (each name keeps its name)`,
      );
    if (raw.canonical !== undefined)
      problems.push(`${path}.canonical: not on "*": each name maps to itself`);
    if (raw.typeOnly !== undefined)
      problems.push(`${path}.typeOnly: not on "*": it covers types and values alike`);
  } else if (stays && raw.canonical !== undefined) {
    problems.push(`${path}.canonical: not for rewrite "stays": the name stays where it is`);
  }
  if (stays && raw.requires !== undefined)
    problems.push(`${path}.requires: not for rewrite "stays": nothing moves`);
  const replacement =
    wildcard || stays
      ? optionalStr(raw, 'replacement', path, problems)
      : str(raw, 'replacement', path, problems);
  if (raw.typeOnly !== undefined && typeof raw.typeOnly !== 'boolean')
    problems.push(`${path}.typeOnly: must be true or false`);
  const calls =
    raw.calls === undefined ? undefined : readCalls(raw.calls, `${path}.calls`, problems);
  if (raw.calls !== undefined && rewrite !== 'call-rewrite')
    problems.push(`${path}.calls: only for rewrite "call-rewrite"`);
  const requires = range(raw, path, problems);
  if (name === undefined || (replacement === undefined && !wildcard && !stays) || !known)
    return undefined;
  const result: ExportDraft = { name, rewrite: rewrite as RewriteKind };
  if (replacement !== undefined) result.replacement = replacement;
  if (calls) result.calls = calls;
  if (canonical !== undefined) result.canonical = canonical;
  if (raw.typeOnly === true) result.typeOnly = true;
  if (requires !== undefined) result.requires = requires;
  return result;
}

function readCalls(raw: unknown, path: string, problems: string[]): CallRewrite | undefined {
  if (!isObject(raw)) {
    problems.push(
      `${path}: must be an object with "import" and at least one of value, call, members`,
    );
    return undefined;
  }
  unknownKeys(raw, CALL_KEYS, path, problems);
  const name = str(raw, 'import', path, problems);
  const value = optionalStr(raw, 'value', path, problems);
  const call = optionalStr(raw, 'call', path, problems);
  const members = raw.members;
  const instance = raw.instance;
  for (const [key, map] of [
    ['members', members],
    ['instance', instance],
  ] as const) {
    if (
      map !== undefined &&
      (!isObject(map) || Object.values(map).some((v) => typeof v !== 'string'))
    ) {
      problems.push(`${path}.${key}: must map method names to templates`);
    }
  }
  if (
    value === undefined &&
    call === undefined &&
    members === undefined &&
    instance === undefined
  ) {
    problems.push(`${path}: needs at least one of value, call, members, instance`);
  }
  if (name === undefined) return undefined;
  const result: CallRewrite = { import: name };
  if (value !== undefined) result.value = value;
  if (call !== undefined) result.call = call;
  if (isObject(members)) result.members = members as Record<string, string>;
  if (isObject(instance)) result.instance = instance as Record<string, string>;
  return result;
}

/** A canonical specifier (top-level or an entry's): true when it is usable. */
function checkSpecifier(specifier: string, path: string, problems: string[]): boolean {
  if (NOT_A_SPECIFIER.test(specifier)) {
    problems.push(
      `${path}: "${specifier}" is not an import specifier: write a repository file as "./" and its path from the repository root, like "./src/realtime/socket.ts"`,
    );
    return false;
  }
  if (specifier.startsWith('./') && !REPOSITORY_FILE.test(specifier)) {
    problems.push(
      `${path}: "${specifier}" must be "./" then a path inside the repository, with no ".", ".." or empty segments and no backslashes`,
    );
    return false;
  }
  if (specifier.startsWith('node:') && !isBuiltin(specifier)) {
    problems.push(`${path}: "${specifier}" is not a Node builtin module`);
    return false;
  }
  return true;
}

/** A version condition needs a package target (undefined: the target is invalid, reported). */
function versionCondition(
  target: CanonicalTarget | undefined,
  path: string,
  problems: string[],
): void {
  if (target?.kind === 'builtin')
    problems.push(
      `${path}: "${target.specifier}" is a Node builtin: a version condition needs a package target`,
    );
  else if (target?.kind === 'file')
    problems.push(
      `${path}: "${target.specifier}" is a repository file: a version condition needs a package target`,
    );
  else if (target?.kind === 'package' && target.packageName === undefined)
    problems.push(
      `${path}: "${target.specifier}" names no package: a version condition needs a package target`,
    );
}

/** A legacy module that is its own target would be rewritten onto itself. */
function selfTarget(
  entry: Pick<ManifestEntry, 'module' | 'files'>,
  pkg: string,
  canonical: string,
  path: string,
  problems: string[],
): void {
  const legacy = legacyPackageSpecifier({ package: pkg }, entry);
  if (legacy === canonical) {
    problems.push(`${path}: the legacy module "${legacy}" is its own canonical target`);
    return;
  }
  const target = classifyCanonical(canonical);
  if (target.kind !== 'file' || !entry.files) return;
  const own = new Set(entry.files.map(moduleKey));
  if (own.has(moduleKey(target.path)))
    problems.push(`${path}: its canonical target "${canonical}" is one of its own files`);
}

/** A repository path as a module: normalized, without its code extension. */
function moduleKey(file: string): string {
  return posix.normalize(file.replace(/\\/g, '/')).replace(/(?:\.d)?\.[cm]?[jt]sx?$/, '');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(object: Json, key: string, path: string, problems: string[]): string | undefined {
  const value = object[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(`${path}.${key}: must be a non-empty string`);
  return undefined;
}

function optionalStr(
  object: Json,
  key: string,
  path: string,
  problems: string[],
): string | undefined {
  return object[key] === undefined ? undefined : str(object, key, path, problems);
}

function version(object: Json, key: string, path: string, problems: string[]): string | undefined {
  const value = str(object, key, path, problems);
  if (value === undefined) return undefined;
  if (semver.valid(value)) return value;
  problems.push(`${path}.${key}: "${value}" is not a semver version (like 1.4.0)`);
  return undefined;
}

/** The optional `requires` of an entry or export: a semver range. */
function range(object: Json, path: string, problems: string[]): string | undefined {
  const value = optionalStr(object, 'requires', path, problems);
  if (value === undefined || semver.validRange(value) !== null) return value;
  problems.push(`${path}.requires: "${value}" is not a semver range (like >=7.8.0)`);
  return undefined;
}

function unknownKeys(
  object: Json,
  known: ReadonlySet<string>,
  path: string,
  problems: string[],
): void {
  for (const key of Object.keys(object))
    if (!known.has(key)) problems.push(`${path}.${key}: unknown key`);
}
