import { readFileSync } from 'node:fs';
import { MANIFEST } from '../manifest';
import { parseManifest } from '../manifest-json';
import type { Manifest } from '../manifest-types';
import { ModuleResolver, type ResolverOptions } from './module-resolver';

const manifests = new Map<string, Manifest>();
const resolvers = new Map<string, ModuleResolver>();

/** The built-in manifest, or a user's JSON manifest (validated once per process). */
export function loadManifest(path: string | undefined): Manifest {
  if (path === undefined) return MANIFEST;
  let manifest = manifests.get(path);
  if (!manifest) {
    manifest = parseManifest(readFileSync(path, 'utf8'), path);
    manifests.set(path, manifest);
  }
  return manifest;
}

export interface CodemodOptions extends ResolverOptions {
  /** A JSON manifest of the user's own consolidation. Default: the built-in one. */
  manifest?: string;
  /** Only these codes (a migration step); default all. */
  codes?: readonly string[];
}

/** One resolver per (manifest, root, tsconfig) per process: tsconfig files are read once. */
export function resolverFor(options: CodemodOptions): ModuleResolver {
  const key = JSON.stringify([options.manifest, options.root, options.tsconfig, options.codes]);
  let resolver = resolvers.get(key);
  if (!resolver) {
    const resolverOptions: ResolverOptions = {};
    if (options.root !== undefined) resolverOptions.root = options.root;
    if (options.tsconfig !== undefined) resolverOptions.tsconfig = options.tsconfig;
    const manifest = loadManifest(options.manifest);
    const codes = options.codes;
    resolver = new ModuleResolver(
      codes
        ? { ...manifest, entries: manifest.entries.filter((e) => codes.includes(e.code)) }
        : manifest,
      resolverOptions,
    );
    resolvers.set(key, resolver);
  }
  return resolver;
}
