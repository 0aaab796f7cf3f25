import { loadManifest } from '../../manifest/load';
import { ModuleResolver, type ResolverOptions } from './module-resolver';

const resolvers = new Map<string, ModuleResolver>();

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
