import semver from 'semver';
import { ManifestError } from '../errors/manifest-error';
import {
  REWRITE_KINDS,
  type CallRewrite,
  type LegacyExport,
  type Manifest,
  type ManifestEntry,
  type RewriteKind,
} from './types';

type Json = Record<string, unknown>;

const ENTRY_KEYS = new Set([
  'code',
  'module',
  'files',
  'summary',
  'why',
  'exports',
  'since',
  'removeIn',
  'docs',
]);
const EXPORT_KEYS = new Set(['name', 'typeOnly', 'rewrite', 'canonical', 'replacement', 'calls']);
const CALL_KEYS = new Set(['import', 'value', 'call', 'members', 'instance']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Reads a manifest that users write for their own consolidation (JSON text or a parsed object).
 * Every problem is collected, with its JSON path, into one ManifestError (code
 * UWS_ERR_MANIFEST_INVALID), so a user fixes a file in one pass.
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
  const pkg = str(value, 'package', '$', problems);
  const canonical = str(value, 'canonical', '$', problems);
  if (!Array.isArray(value.entries) || value.entries.length === 0) {
    problems.push('$.entries: must be a non-empty array');
    return undefined;
  }
  const codes = new Set<string>();
  const entries = value.entries.map((raw, index) =>
    readEntry(raw, `$.entries[${index}]`, codes, problems),
  );
  if (pkg === undefined || canonical === undefined || entries.some((e) => e === undefined))
    return undefined;
  return { package: pkg, canonical, entries: entries as ManifestEntry[] };
}

function readEntry(
  raw: unknown,
  path: string,
  codes: Set<string>,
  problems: string[],
): ManifestEntry | undefined {
  if (!isObject(raw)) {
    problems.push(`${path}: must be an object`);
    return undefined;
  }
  unknownKeys(raw, ENTRY_KEYS, path, problems);
  const code = str(raw, 'code', path, problems);
  if (code !== undefined && !/^[A-Z][A-Z0-9_-]*\d+$/.test(code))
    problems.push(`${path}.code: "${code}" must look like UWS001 (capitals, ending in digits)`);
  if (code !== undefined && codes.has(code))
    problems.push(`${path}.code: "${code}" is used by an earlier entry`);
  if (code !== undefined) codes.add(code);
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
  if (module === undefined && files === undefined)
    problems.push(
      `${path}: needs "module" (a package subpath) or "files" (repository files), or both`,
    );
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
  const exports = raw.exports.map((e, index) =>
    readExport(e, `${path}.exports[${index}]`, names, problems),
  );
  if (
    code === undefined ||
    summary === undefined ||
    since === undefined ||
    removeIn === undefined ||
    exports.some((e) => !e)
  )
    return undefined;
  const result: ManifestEntry = {
    code,
    module: module ?? '',
    summary,
    why: why ?? '',
    exports: exports as LegacyExport[],
    since,
    removeIn,
    docs: docs ?? code.toLowerCase(),
  };
  return Array.isArray(files) ? { ...result, files: files as string[] } : result;
}

function readExport(
  raw: unknown,
  path: string,
  names: Set<string>,
  problems: string[],
): LegacyExport | undefined {
  if (!isObject(raw)) {
    problems.push(`${path}: must be an object`);
    return undefined;
  }
  unknownKeys(raw, EXPORT_KEYS, path, problems);
  const name = str(raw, 'name', path, problems);
  if (name !== undefined && name !== 'default' && !IDENTIFIER.test(name))
    problems.push(`${path}.name: "${name}" is not an identifier`);
  if (name !== undefined && names.has(name))
    problems.push(`${path}.name: "${name}" is listed twice in this entry`);
  if (name !== undefined) names.add(name);
  const rewrite = raw.rewrite;
  if (!REWRITE_KINDS.includes(rewrite as RewriteKind))
    problems.push(`${path}.rewrite: must be one of ${REWRITE_KINDS.join(', ')}`);
  const canonical = optionalStr(raw, 'canonical', path, problems);
  if ((rewrite === 'same-object' || rewrite === 'rename') && canonical === undefined)
    problems.push(`${path}.canonical: required for rewrite "${String(rewrite)}"`);
  if (canonical !== undefined && !IDENTIFIER.test(canonical))
    problems.push(`${path}.canonical: "${canonical}" is not an identifier`);
  const replacement = str(raw, 'replacement', path, problems);
  if (raw.typeOnly !== undefined && typeof raw.typeOnly !== 'boolean')
    problems.push(`${path}.typeOnly: must be true or false`);
  const calls =
    raw.calls === undefined ? undefined : readCalls(raw.calls, `${path}.calls`, problems);
  if (raw.calls !== undefined && rewrite !== 'call-rewrite')
    problems.push(`${path}.calls: only for rewrite "call-rewrite"`);
  if (
    name === undefined ||
    replacement === undefined ||
    !REWRITE_KINDS.includes(rewrite as RewriteKind)
  )
    return undefined;
  const result: LegacyExport = { name, rewrite: rewrite as RewriteKind, replacement };
  if (calls) result.calls = calls;
  if (canonical !== undefined) result.canonical = canonical;
  if (raw.typeOnly === true) result.typeOnly = true;
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

function unknownKeys(
  object: Json,
  known: ReadonlySet<string>,
  path: string,
  problems: string[],
): void {
  for (const key of Object.keys(object))
    if (!known.has(key)) problems.push(`${path}.${key}: unknown key`);
}
