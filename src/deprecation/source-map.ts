import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A position in an original source: an absolute path (or the map's URL when not a file), 1-based. */
export interface OriginalPosition {
  source: string;
  line: number;
  column: number;
}

interface FileMap {
  map: SourceMap;
  /** Where `sources` are resolved from: the map file's URL (the JS file's for an inline map). */
  base: URL;
  sourceRoot: string;
}

/** Parsed maps by generated file; `null` remembers a file without a usable map. */
const cache = new Map<string, FileMap | null>();
/** Files whose maps are kept: a process's call sites come from few files. */
export const SOURCE_MAP_CACHE_SIZE = 64;

// The last sourceMappingURL comment of a file is its map (Node and the spec take the last one).
const MAPPING_URL = /\/[*/][#@]\s*sourceMappingURL=([^\s'"*]+)/g;

function payloadOf(text: string): SourceMapPayload | undefined {
  const payload: unknown = JSON.parse(text);
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { version, sources, mappings, sections } = payload as Record<string, unknown>;
  if (version !== 3) return undefined;
  const flat =
    Array.isArray(sources) &&
    sources.every((source) => typeof source === 'string' || source === null) &&
    typeof mappings === 'string';
  return flat || Array.isArray(sections) ? (payload as SourceMapPayload) : undefined;
}

/** Reads the map of `file`: its sourceMappingURL comment (a file or an inline data: URL), else `file.map`. */
function load(file: string): FileMap | null {
  const here = pathToFileURL(file);
  let url: string | undefined;
  for (const match of readFileSync(file, 'utf8').matchAll(MAPPING_URL)) url = match[1];
  let text: string;
  let base = here;
  if (url?.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma < 0 || !url.slice(0, comma).startsWith('data:application/json')) return null;
    const data = url.slice(comma + 1);
    text = url.slice(0, comma).endsWith(';base64')
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeURIComponent(data);
  } else {
    base = url === undefined ? pathToFileURL(`${file}.map`) : new URL(url, here);
    if (base.protocol !== 'file:') return null;
    const mapFile = fileURLToPath(base);
    if (!existsSync(mapFile)) return null;
    text = readFileSync(mapFile, 'utf8');
  }
  const payload = payloadOf(text);
  if (!payload) return null;
  const sourceRoot = typeof payload.sourceRoot === 'string' ? payload.sourceRoot : '';
  return { map: new SourceMap(payload), base, sourceRoot };
}

function mapOf(file: string): FileMap | null {
  const cached = cache.get(file);
  if (cached !== undefined) {
    // Least recently used goes first.
    cache.delete(file);
    cache.set(file, cached);
    return cached;
  }
  let loaded: FileMap | null;
  try {
    loaded = load(file);
  } catch {
    loaded = null; // unreadable file, malformed JSON or map: the generated position stands
  }
  if (cache.size >= SOURCE_MAP_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(file, loaded);
  return loaded;
}

/** `source` of a map as a path (or a URL when it names no file), per `sourceRoot` and the map's place. */
function resolveSource({ base, sourceRoot }: FileMap, source: string): string {
  const root = sourceRoot && !sourceRoot.endsWith('/') ? `${sourceRoot}/` : sourceRoot;
  try {
    const url = new URL(`${root}${source}`, base);
    return url.protocol === 'file:' ? fileURLToPath(url) : url.href;
  } catch {
    return `${root}${source}`;
  }
}

/**
 * Where a 1-based `line:column` of the generated file `file` comes from, when the file has a
 * source map: its `//# sourceMappingURL=` (a file beside it or an inline base64 `data:` URL), else a
 * `.map` beside it. Parsed once per file with Node's own `SourceMap` (the few most recent files
 * kept); a file without a map, or with a malformed one, is remembered and answers `undefined`.
 * Never throws.
 */
export function originalPosition(
  file: string,
  line: number,
  column: number,
): OriginalPosition | undefined {
  const found = mapOf(file);
  if (!found) return undefined;
  try {
    // Source map offsets are 0-based, stack frames 1-based: as Node maps frames for
    // --enable-source-maps, so both give the same site.
    const entry = found.map.findEntry(line - 1, column - 1) as Partial<{
      originalSource: unknown;
      originalLine: unknown;
      originalColumn: unknown;
    }>;
    const { originalSource, originalLine, originalColumn } = entry;
    if (
      typeof originalSource !== 'string' ||
      !Number.isInteger(originalLine) ||
      !Number.isInteger(originalColumn) ||
      (originalLine as number) < 0 ||
      (originalColumn as number) < 0
    )
      return undefined;
    return {
      source: resolveSource(found, originalSource),
      line: (originalLine as number) + 1,
      column: (originalColumn as number) + 1,
    };
  } catch {
    return undefined;
  }
}

/** Forgets every parsed map (tests; a long-lived process whose build changed under it). */
export function clearSourceMaps(): void {
  cache.clear();
}
