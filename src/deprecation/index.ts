import { strict as assert } from 'node:assert';
import { dirname } from 'node:path';
import { packageVersion } from './package-info';
import { ManifestError } from '../errors/manifest-error';
import { parseManifest } from '../manifest/from-json';
import type { Manifest, ManifestEntryJson } from '../manifest/types';
import { JsonLinesSink, TELEMETRY_FILE_ENV, type JsonLinesOptions } from './jsonl-sink';
import { openTelemetrySink, type OpenTelemetryOptions } from './otel-sink';
import { DeprecationRuntime, runtimeInfo, type DeprecationOptions } from './runtime';

export type { Policy } from './policy';
export type { DeprecationOptions, DeprecationState, SiteStats } from './runtime';
export type { JsonLinesOptions, TelemetryLine } from './jsonl-sink';
export type { OpenTelemetryOptions } from './otel-sink';
export { POLICY_ENV } from './runtime';
export { TELEMETRY_FILE_ENV } from './jsonl-sink';
export { OTEL_METRIC } from './otel-sink';

const runtime = new DeprecationRuntime();
let jsonLines: JsonLinesSink | undefined;

/**
 * The hot path of a legacy entry point: returns a function that counts one use. After a code's
 * first use it costs an increment and a compare; the slow path (display, policy, sampled call
 * site) runs on the first use, on samples, and on every use that must throw.
 */
export function deprecationCounter(code: string): () => void {
  const state = runtime.state(code);
  const use = (): void => {
    if (++state.count >= state.next) runtime.slow(state, use);
  };
  return use;
}

/** Reports the import of a legacy module: a same-object re-export has no other moment to. */
export function reportModuleUse(code: string): void {
  const state = runtime.state(code);
  if (++state.count >= state.next) runtime.slow(state, reportModuleUse);
}

export function configureDeprecations(options: DeprecationOptions): void {
  runtime.configure(options);
}

/** Zeroes every count, site and display, drops options and re-reads UNIFIED_WS_DEPRECATIONS. */
export function resetDeprecations(): void {
  runtime.reset();
}

/** Lets a user manifest's own shims report through this runtime. */
export function registerDeprecations(manifest: Manifest): void {
  runtime.registerManifest(manifest);
}

/**
 * A legacy module of a team's own manifest, as its shim declares it: one entry in its JSON form
 * (docs/manifest.md), with the manifest's `package` and the entry's target. `unified-ws shim`
 * generates it from the manifest; it is never written by hand.
 */
export interface DeprecatedModule extends Omit<ManifestEntryJson, 'canonical'> {
  /** The manifest's `package`. */
  package: string;
  /** Where the entry's names went: its own `canonical`, else the manifest's. */
  canonical: string;
  /**
   * The manifest the shim was generated from, for the warning's hint: its file, as the repository
   * names it (`unified-ws migrate --manifest <file>`), and its top-level `docs`.
   */
  manifest?: { file?: string; docs?: string };
}

/**
 * The one call of a shim that `unified-ws shim` makes of a team's legacy module: validates the
 * declaration as a manifest of one entry (a ManifestError, UWS_ERR_MANIFEST_INVALID, lists every
 * problem), registers its code (again with the same data is nothing; other data under a code
 * already registered is a RegistrationError, UWS_ERR_DEPRECATION_CONFLICT), and reports one use
 * of the module, as a built-in shim does on import: the code's warning is displayed once per
 * process, and every use is counted, attributed to the code that imported the shim, and written
 * by the telemetry sinks.
 */
export function deprecatedModule(declaration: DeprecatedModule): void {
  const source = `deprecatedModule(${typeof declaration?.code === 'string' ? declaration.code : '…'})`;
  if (typeof declaration !== 'object' || declaration === null || Array.isArray(declaration))
    throw new ManifestError(source, [
      '$: must be an object: an entry with "package" and "canonical"',
    ]);
  const { package: pkg, canonical, manifest: from, ...entry } = declaration;
  const file: unknown = (from as { file?: unknown } | undefined)?.file;
  const docs: unknown = (from as { docs?: unknown } | undefined)?.docs;
  if (
    (from !== undefined && (typeof from !== 'object' || from === null || Array.isArray(from))) ||
    (file !== undefined && (typeof file !== 'string' || file === ''))
  )
    throw new ManifestError(source, [
      '$.manifest: must be an object with the manifest\'s "file" (a non-empty string) and "docs"',
    ]);
  const manifest = {
    ...parseManifest(
      { package: pkg, canonical, ...(docs === undefined ? {} : { docs }), entries: [entry] },
      source,
    ),
    ...(file === undefined ? {} : { file: file as string }),
  };
  const [parsed] = manifest.entries;
  if (!parsed) return; // parseManifest refuses a manifest without entries
  // The shim's own package gives the version its removeIn is compared with.
  const shim = runtime.shimCalled(deprecatedModule);
  runtime.registerEntry(
    manifest,
    parsed,
    shim === undefined ? undefined : packageVersion(dirname(shim), pkg),
  );
  reportModuleUse(parsed.code);
}

export interface SiteSnapshot {
  site: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface CodeSnapshot {
  code: string;
  entryPoint: string;
  count: number;
  displayed: boolean;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  sites: SiteSnapshot[];
}

export interface DeprecationSnapshot {
  version: string;
  pid: number;
  host: string;
  codes: CodeSnapshot[];
}

/** Every code used so far in this process, with its call sites. */
export function deprecationSnapshot(): DeprecationSnapshot {
  const now = Date.now();
  const iso = (ms: number | undefined) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  const codes: CodeSnapshot[] = [];
  for (const state of runtime.all()) {
    if (state.count === 0) continue;
    runtime.settle(state, now);
    codes.push({
      code: state.code,
      entryPoint: state.entryPoint,
      count: state.count,
      displayed: state.displayed,
      firstSeen: iso(state.firstSeen),
      lastSeen: iso(state.lastSeen),
      sites: [...state.sites.values()].map((s) => ({
        site: s.site,
        count: s.count,
        firstSeen: iso(s.firstSeen) as string,
        lastSeen: iso(s.lastSeen) as string,
      })),
    });
  }
  return { ...runtimeInfo, codes: codes.sort((a, b) => a.code.localeCompare(b.code)) };
}

/** Starts (or restarts) the JSON-lines sink; returns it so callers can flush or stop it. */
export function enableJsonLinesTelemetry(options: JsonLinesOptions = {}): JsonLinesSink {
  jsonLines?.stop();
  jsonLines = new JsonLinesSink(runtime, options);
  jsonLines.start();
  return jsonLines;
}

/** Stops the JSON-lines sink after a last flush. */
export function disableJsonLinesTelemetry(): void {
  jsonLines?.stop();
  jsonLines = undefined;
}

/** Reports use counts through an OpenTelemetry observable counter; returns a stop function. */
export function enableOpenTelemetry(options: OpenTelemetryOptions = {}): () => void {
  return openTelemetrySink(runtime, options);
}

/** Runs fn and asserts that it used `code` at least once; returns what fn returns. */
export function expectDeprecation<T>(code: string, fn: () => T): T {
  const state = runtime.state(code);
  const before = state.count;
  const check = () =>
    assert.ok(state.count > before, `expected a use of deprecated ${code} (${state.entryPoint})`);
  const result = fn();
  if (result instanceof Promise) return result.then((value: unknown) => (check(), value)) as T;
  check();
  return result;
}

/** Runs fn with `codes` (or '*') counted but neither displayed nor thrown (removal still throws). */
export function withDeprecationsAllowed<T>(codes: readonly string[] | '*', fn: () => T): T {
  const list = codes === '*' ? ['*'] : codes;
  runtime.allow(list, 1);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    runtime.allow(list, -1);
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => runtime.allow(list, -1)) as T;
  runtime.allow(list, -1);
  return result;
}

// A deployment turns the file sink on without code changes.
if (process.env[TELEMETRY_FILE_ENV]) enableJsonLinesTelemetry();
