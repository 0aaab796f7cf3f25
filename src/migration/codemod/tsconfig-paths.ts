import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';

/** What module resolution needs from a tsconfig: where `paths` are relative to, and the paths. */
export interface PathMapping {
  /** Directory `paths` targets resolve against (baseUrl, else the tsconfig's directory). */
  base: string;
  /** baseUrl itself, when set: bare specifiers also resolve against it. */
  baseUrl: string | undefined;
  paths: Record<string, string[]>;
}

/** JSON with comments and trailing commas, as tsconfig files are written. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else {
      out += char;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

interface RawConfig {
  extends?: string | string[];
  compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
}

/**
 * Reads baseUrl and paths from a tsconfig, following `extends` (relative files and packages) the
 * way TypeScript does: later files override, and each value is relative to the file that set it.
 */
export function readPathMapping(
  tsconfigPath: string,
  seen = new Set<string>(),
): PathMapping | undefined {
  const file = resolve(tsconfigPath);
  if (seen.has(file) || !existsSync(file)) return undefined;
  seen.add(file);
  const config = parseJsonc(readFileSync(file, 'utf8')) as RawConfig;
  let mapping: PathMapping | undefined;
  for (const parent of [config.extends ?? []].flat()) {
    const parentPath =
      parent.startsWith('.') || isAbsolute(parent)
        ? resolve(dirname(file), parent)
        : resolvePackageConfig(parent, dirname(file));
    const inherited =
      parentPath &&
      readPathMapping(parentPath.endsWith('.json') ? parentPath : `${parentPath}.json`, seen);
    if (inherited) mapping = inherited;
  }
  const options = config.compilerOptions ?? {};
  const baseUrl =
    options.baseUrl === undefined ? mapping?.baseUrl : resolve(dirname(file), options.baseUrl);
  const paths = options.paths ?? mapping?.paths ?? {};
  const base =
    options.paths !== undefined
      ? (baseUrl ?? dirname(file))
      : (mapping?.base ?? baseUrl ?? dirname(file));
  return { base, baseUrl, paths };
}

function resolvePackageConfig(specifier: string, from: string): string | undefined {
  try {
    return createRequire(resolve(from, 'noop.js')).resolve(specifier);
  } catch {
    return undefined;
  }
}

/** The files a bare specifier may map to through paths (then baseUrl), without extensions. */
export function mapSpecifier(mapping: PathMapping, specifier: string): string[] {
  const targets: string[] = [];
  for (const [pattern, replacements] of Object.entries(mapping.paths)) {
    const star = pattern.indexOf('*');
    let captured: string | undefined;
    if (star === -1) captured = pattern === specifier ? '' : undefined;
    else if (
      specifier.startsWith(pattern.slice(0, star)) &&
      specifier.endsWith(pattern.slice(star + 1)) &&
      specifier.length >= pattern.length - 1
    ) {
      captured = specifier.slice(star, specifier.length - (pattern.length - star - 1));
    }
    if (captured === undefined) continue;
    for (const replacement of replacements)
      targets.push(resolve(mapping.base, replacement.replace('*', captured)));
  }
  if (mapping.baseUrl) targets.push(resolve(mapping.baseUrl, specifier));
  return targets;
}
