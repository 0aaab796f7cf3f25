import { Deprecation } from 'deprecation';
import { hostname } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { DeprecatedUseError } from '../errors/deprecated-use-error';
import { OptionError } from '../errors/option-error';
import { RegistrationError } from '../errors/registration-error';
import { MANIFEST } from '../manifest/builtin';
import {
  codemodHint,
  deprecationMessage,
  entryPointOf,
  replacementSummary,
} from '../manifest/render';
import { canonicalOf, legacyPackageOf } from '../manifest/targets';
import type { Manifest, ManifestEntry } from '../manifest/types';
import { callerFile, captureCallSite } from './call-site';
import { findPackage } from './package-info';
import { parsePolicyEnv, type Policy, type PolicySpec } from './policy';

export const POLICY_ENV = 'UNIFIED_WS_DEPRECATIONS';

export interface SiteStats {
  site: string;
  /** Calls attributed to this site (see docs/deprecations.md, "Telemetry"). */
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** `count` at the last telemetry flush. */
  flushed: number;
}

/** Everything the runtime knows of one code. Held by shims so a use needs no lookup. */
export interface DeprecationState {
  readonly code: string;
  readonly entry: ManifestEntry;
  readonly entryPoint: string;
  /** Every use, exactly. */
  count: number;
  /** The hot path leaves for the slow path when `count` reaches this. */
  next: number;
  displayed: boolean;
  /** Uses already attributed to a call site. */
  attributed: number;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
  readonly sites: Map<string, SiteStats>;
  lastSite: SiteStats | undefined;
}

export interface DeprecationOptions {
  /** Policy for every code without one of its own. Default 'warn' (UNIFIED_WS_DEPRECATIONS wins). */
  policy?: Policy;
  /** Policies by code (UNIFIED_WS_DEPRECATIONS wins for a code it names). */
  codes?: Record<string, Policy>;
  /** The running package version, for removeIn escalation. Default: this package's version. */
  version?: string | (() => string);
  /**
   * The running version of a team's own packages, by name, for the removeIn of their codes.
   * Default: the version in the package.json of that name above the shim that registered the code.
   */
  versions?: Readonly<Record<string, string>>;
  /** Uses of a code whose call site is captured every time, from the first. Default 64. */
  sampleFirst?: number;
  /** After those, one use in this many has its call site captured. Default 4096. */
  sampleEvery?: number;
}

/** Default call-site sampling: every one of the first uses of a code, then one in this many. */
export const SAMPLE_FIRST = 64;
export const SAMPLE_EVERY = 4096;

const PACKAGE = findPackage();
const INTERNAL_ROOTS = ['src', 'shims', 'dist'].map((dir) => join(PACKAGE.root, dir));
const UNKNOWN_SITE = '<unknown>';
const HOST = hostname();

/**
 * The process's deprecation runtime: counts every use of every legacy entry point, displays each
 * code once, applies policies and removal, samples call sites, and feeds the telemetry sinks.
 */
export class DeprecationRuntime {
  private readonly states = new Map<string, DeprecationState>();
  private readonly entries = new Map<
    string,
    { entry: ManifestEntry; manifest: Manifest; version?: string }
  >();
  private options: DeprecationOptions = {};
  private env: PolicySpec = { codes: {} };
  private readonly allowed = new Map<string, number>();
  /** Where a call site is never found: unified-ws itself, and the shims of teams' manifests. */
  private readonly internal: string[] = [...INTERNAL_ROOTS];

  constructor(manifest: Manifest = MANIFEST) {
    this.registerManifest(manifest);
    this.readEnvironment();
  }

  /** Makes a user manifest's codes reportable (shims of a user's own consolidation). */
  registerManifest(manifest: Manifest): void {
    for (const entry of manifest.entries) this.entries.set(entry.code, { entry, manifest });
  }

  /**
   * Registers the one entry of a manifest (a generated shim's declaration): again with the same
   * data is nothing; a code already registered with other data is a RegistrationError
   * (UWS_ERR_DEPRECATION_CONFLICT), since a code names one legacy module everywhere it is counted.
   */
  registerEntry(manifest: Manifest, entry: ManifestEntry, version?: string): void {
    const known = this.entries.get(entry.code);
    if (known) {
      if (entryKey(known.manifest, known.entry) === entryKey(manifest, entry)) {
        if (known.version === undefined && version !== undefined) known.version = version;
        return;
      }
      throw new RegistrationError('UWS_ERR_DEPRECATION_CONFLICT', {
        message: `deprecation code ${entry.code} is already registered for ${entryPointOf(known.manifest, known.entry)}${legacyPackageOf(known.manifest, known.entry) === legacyPackageOf(manifest, entry) ? '' : ` (${legacyPackageOf(known.manifest, known.entry)})`} with other data than ${entryPointOf(manifest, entry)} declares: a code names one legacy module; regenerate the shim from the manifest (unified-ws shim) or give the entry a code of its own`,
      });
    }
    this.entries.set(
      entry.code,
      version === undefined ? { entry, manifest } : { entry, manifest, version },
    );
  }

  /**
   * The file that called `fn` is a shim: its frames are never a call site from now on, so a use
   * is attributed to the code that imported the shim, as with the built-in shims.
   */
  shimCalled(fn: (...args: never[]) => unknown): string | undefined {
    const file = callerFile(this.internal, fn);
    if (file !== undefined && !this.internal.includes(file)) this.internal.push(file);
    return file;
  }

  /** The state of a code, created on first request; shims hold it for their hot path. */
  state(code: string): DeprecationState {
    let state = this.states.get(code);
    if (state) return state;
    const known = this.entries.get(code);
    if (!known)
      throw new RegistrationError('UWS_ERR_UNKNOWN_DEPRECATION_CODE', {
        message: `unknown deprecation code ${code}: register its manifest with registerDeprecations()`,
      });
    state = {
      code,
      entry: known.entry,
      entryPoint: entryPointOf(known.manifest, known.entry),
      count: 0,
      next: 0,
      displayed: false,
      attributed: 0,
      firstSeen: undefined,
      lastSeen: undefined,
      sites: new Map(),
      lastSite: undefined,
    };
    this.states.set(code, state);
    return state;
  }

  configure(options: DeprecationOptions): void {
    for (const key of ['sampleFirst', 'sampleEvery'] as const) {
      const value = options[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 1))
        throw new OptionError(`configureDeprecations: ${key} must be a positive integer`);
    }
    for (const [name, version] of Object.entries(options.versions ?? {}))
      if (typeof version !== 'string' || semver.coerce(version) === null)
        throw new OptionError(`configureDeprecations: versions.${name} must be a semver version`);
    this.options = {
      ...this.options,
      ...options,
      codes: { ...this.options.codes, ...options.codes },
      versions: { ...this.options.versions, ...options.versions },
    };
    this.refresh();
  }

  /** Clears counts, sites, displays and options, and re-reads the environment. */
  reset(): void {
    // In place: shims hold their state objects for the hot path.
    for (const state of this.states.values()) {
      state.count = 0;
      state.next = 0;
      state.displayed = false;
      state.attributed = 0;
      state.firstSeen = undefined;
      state.lastSeen = undefined;
      state.sites.clear();
      state.lastSite = undefined;
    }
    this.options = {};
    this.allowed.clear();
    this.readEnvironment();
  }

  policyOf(code: string): Policy {
    if ((this.allowed.get(code) ?? 0) > 0 || (this.allowed.get('*') ?? 0) > 0) return 'silent';
    return (
      // The environment wins over options (operators change it without a deploy); within each,
      // a code's own policy wins over the global one.
      this.env.codes[code] ??
      this.env.global ??
      this.options.codes?.[code] ??
      this.options.policy ??
      'warn'
    );
  }

  /** The running version used for removal. */
  version(): string {
    const version = this.options.version;
    return typeof version === 'function' ? version() : (version ?? PACKAGE.version);
  }

  allow(codes: readonly string[], delta: 1 | -1): void {
    for (const code of codes) this.allowed.set(code, (this.allowed.get(code) ?? 0) + delta);
    this.refresh();
  }

  all(): IterableIterator<DeprecationState> {
    return this.states.values();
  }

  /** Attributes uses counted since the last sample to the latest site (at flush and snapshot). */
  settle(state: DeprecationState, now: number): void {
    const pending = state.count - state.attributed;
    if (pending <= 0) return;
    const site = state.lastSite ?? this.site(state, UNKNOWN_SITE, now);
    site.count += pending;
    site.lastSeen = Math.max(site.lastSeen, now);
    state.attributed = state.count;
  }

  /**
   * The slow path: first use, sampled uses, and every use under `throw` or removal. Runs after the
   * count was incremented, so a throwing use is still counted.
   */
  slow(state: DeprecationState, caller: (...args: never[]) => unknown): void {
    const now = Date.now();
    state.firstSeen ??= now;
    state.lastSeen = now;
    if (
      state.count <= (this.options.sampleFirst ?? SAMPLE_FIRST) ||
      state.count % (this.options.sampleEvery ?? SAMPLE_EVERY) === 0
    ) {
      const site = this.site(state, captureCallSite(this.internal, caller) ?? UNKNOWN_SITE, now);
      site.count += state.count - state.attributed;
      site.lastSeen = now;
      state.attributed = state.count;
      state.lastSite = site;
    }
    const { entry } = state;
    const removed = this.removed(entry);
    const policy = this.policyOf(state.code);
    this.schedule(state, removed || policy === 'throw');
    const replacement = replacementSummary(entry);
    // A team's entry is explained by its own manifest, never by unified-ws's docs and codemod.
    const known = this.entries.get(state.code);
    const team = known && known.manifest !== MANIFEST ? known.manifest : undefined;
    const codemod = codemodHint(entry, team);
    if (removed) {
      throw new DeprecatedUseError({
        deprecation: state.code,
        entryPoint: state.entryPoint,
        replacement,
        codemod,
        removedIn: entry.removeIn,
      });
    }
    if (policy === 'throw')
      throw new DeprecatedUseError({
        deprecation: state.code,
        entryPoint: state.entryPoint,
        replacement,
        codemod,
      });
    if (policy === 'warn' && !state.displayed) {
      state.displayed = true;
      // A Deprecation (the `deprecation` package) named DeprecationWarning, with the code: Node's
      // --no-deprecation, --throw-deprecation, --trace-deprecation and --disable-warning=UWS004
      // all apply to it as to Node's own deprecations.
      const warning = new Deprecation(deprecationMessage(state.entryPoint, entry, team));
      Object.assign(warning, { name: 'DeprecationWarning', code: state.code });
      try {
        process.emitWarning(warning);
      } catch {
        // A sandbox with its own Error (jest's vm contexts) makes Node refuse the object: the same
        // warning, by message, type and code.
        process.emitWarning(warning.message, { type: 'DeprecationWarning', code: state.code });
      }
    }
  }

  private site(state: DeprecationState, key: string, now: number): SiteStats {
    let site = state.sites.get(key);
    if (!site) {
      site = { site: key, count: 0, firstSeen: now, lastSeen: now, flushed: 0 };
      state.sites.set(key, site);
    }
    return site;
  }

  /** When the next use must take the slow path: always while uses throw, else the next sample. */
  private schedule(state: DeprecationState, throwing: boolean): void {
    const sampleFirst = this.options.sampleFirst ?? SAMPLE_FIRST;
    const sampleEvery = this.options.sampleEvery ?? SAMPLE_EVERY;
    if (throwing || state.count < sampleFirst) state.next = state.count + 1;
    else state.next = (Math.floor(state.count / sampleEvery) + 1) * sampleEvery;
  }

  /**
   * Whether an entry's removeIn has come: against the version of the package it belongs to — a
   * team's entry against `versions[package]`, else the version of the package that holds its shim;
   * unified-ws's own (and a team's whose package is unknown) against version().
   */
  private removed(entry: ManifestEntry): boolean {
    const known = this.entries.get(entry.code);
    const team = known && known.manifest !== MANIFEST ? known : undefined;
    const running =
      (team &&
        (this.options.versions?.[legacyPackageOf(team.manifest, team.entry)] ?? team.version)) ??
      this.version();
    const version = semver.valid(running) ?? semver.coerce(running)?.version;
    return version !== undefined && semver.gte(version, entry.removeIn);
  }

  /** Policies or version changed: every state must re-enter the slow path to apply them. */
  private refresh(): void {
    for (const state of this.states.values()) state.next = state.count + 1;
  }

  private readEnvironment(): void {
    const { spec, problems } = parsePolicyEnv(process.env[POLICY_ENV]);
    this.env = spec;
    if (problems.length > 0) {
      process.emitWarning(`${POLICY_ENV} has parts that were ignored: ${problems.join('; ')}`, {
        type: 'UnifiedWsWarning',
        code: 'UWS_BAD_POLICY_ENV',
      });
    }
  }
}

/** What a registration is compared by: the package, the entry's target, and the entry's data. */
function entryKey(manifest: Manifest, entry: ManifestEntry): string {
  const { canonical: _canonical, package: _package, ...data } = entry;
  return stableJson({
    package: legacyPackageOf(manifest, entry),
    canonical: canonicalOf(manifest, entry),
    data,
  });
}

/** JSON with the keys of every object sorted: equal data gives equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export const runtimeInfo = { version: PACKAGE.version, pid: process.pid, host: HOST } as const;
