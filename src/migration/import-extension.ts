import type { Statement } from '@babel/types';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { parseJsonc } from './codemod/tsconfig-paths';

// How a file writes the relative specifier of a repository file it imports: `../core/store`,
// `../core/store.js` (ESM under node16/nodenext, where TypeScript requires the extension) or
// `../core/store.ts` (allowImportingTsExtensions, rewriteRelativeImportExtensions). One answer for
// `shim` (the re-exports of a shim whose canonical target is a repository file) and `migrate` (the
// imports it rewrites to one): the file's own relative imports say it; a file with none follows
// its project — the relative imports of the files nearest to it, else its tsconfig and
// package.json.

/** The extension convention of relative imports. */
export type ExtensionStyle = 'js' | 'ts' | 'none';

const JS = /\.(?:[cm]?js|jsx)$/;
const TS = /\.(?:[cm]?ts|tsx)$/;
/** Specifiers of what is not a module of code (`./data.json`, `./style.css`): they say nothing. */
const ASSET =
  /\.(?:json|css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|avif|ico|html?|md|txt|wasm|node|graphql|gql|ya?ml|toml|woff2?|ttf|mp[34]|webm)$/i;

/** The convention one relative specifier shows, or undefined for one that shows none. */
function styleOfSpecifier(specifier: string): ExtensionStyle | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const path = specifier.replace(/[?#].*$/, '');
  if (/\.d\.[cm]?ts$/.test(path)) return undefined;
  if (JS.test(path)) return 'js';
  if (TS.test(path)) return 'ts';
  if (ASSET.test(path)) return undefined;
  // A directory (`./lib/`, `..`) resolves through its index file under any convention but ESM.
  if (path.endsWith('/') || /(?:^|\/)\.\.?$/.test(path)) return undefined;
  return 'none';
}

/** The convention that most of these specifiers show (`js` before `ts` before `none` on a tie). */
function majority(counts: Record<ExtensionStyle, number>): ExtensionStyle | undefined {
  const order: ExtensionStyle[] = ['js', 'ts', 'none'];
  let best: ExtensionStyle | undefined;
  for (const style of order)
    if (counts[style] > 0 && (best === undefined || counts[style] > counts[best])) best = style;
  return best;
}

/**
 * What a file's own relative imports and re-exports say: `js` when one of them ends with `.js`
 * (as ESM TypeScript writes them), `ts` with `.ts`, `none` when they have no extension; undefined
 * when it has no relative import to copy from.
 */
export function ownExtensionStyle(body: readonly Statement[]): ExtensionStyle | undefined {
  const counts: Record<ExtensionStyle, number> = { js: 0, ts: 0, none: 0 };
  for (const node of body) {
    if (
      node.type !== 'ImportDeclaration' &&
      node.type !== 'ExportNamedDeclaration' &&
      node.type !== 'ExportAllDeclaration'
    )
      continue;
    const style = node.source ? styleOfSpecifier(node.source.value) : undefined;
    if (style) counts[style]++;
  }
  // A single `.js` is a convention: the file was written for ESM resolution.
  if (counts.js > 0) return 'js';
  if (counts.ts > 0) return 'ts';
  return counts.none > 0 ? 'none' : undefined;
}

/** How many files `projectExtensionStyle` reads at most. */
const SAMPLE_FILES = 40;
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SPECIFIER =
  /(?:^|[\s;}])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?(['"])(\.\.?\/[^'"\n]*)\1|\bimport\(\s*(['"])(\.\.?\/[^'"\n]*)\3\s*\)/g;

/**
 * The convention of the files nearest to `file`: those of its directory, else of the first
 * directory above it (up to its package root) whose files write relative imports; undefined when
 * none do. A cheap sample: no parse, the files right in those directories, at most SAMPLE_FILES.
 */
function sampledStyle(file: string, packageRoot: string): ExtensionStyle | undefined {
  let budget = SAMPLE_FILES;
  const self = resolve(file);
  const top = resolve(packageRoot);
  for (let dir = dirname(self); budget > 0; dir = dirname(dir)) {
    const counts: Record<ExtensionStyle, number> = { js: 0, ts: 0, none: 0 };
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && CODE_FILE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name))
        .map((e) => e.name)
        .sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      const path = join(dir, name);
      if (path === self || budget <= 0) continue;
      budget--;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      for (const match of text.matchAll(SPECIFIER)) {
        const style = styleOfSpecifier(match[2] ?? match[4] ?? '');
        if (style) counts[style]++;
      }
    }
    const found = majority(counts);
    if (found) return found;
    if (dir === top || !dir.startsWith(top) || dirname(dir) === dir) return undefined;
  }
  return undefined;
}

interface CompilerOptions {
  module?: string;
  moduleResolution?: string;
  allowImportingTsExtensions?: boolean;
  rewriteRelativeImportExtensions?: boolean;
}

/** The compiler options of a tsconfig that decide relative specifiers, `extends` followed. */
function compilerOptionsOf(tsconfig: string, seen = new Set<string>()): CompilerOptions {
  const file = resolve(tsconfig);
  if (seen.has(file) || !existsSync(file)) return {};
  seen.add(file);
  let config: { extends?: string | string[]; compilerOptions?: Record<string, unknown> };
  try {
    config = parseJsonc(readFileSync(file, 'utf8')) as typeof config;
  } catch {
    return {};
  }
  let options: CompilerOptions = {};
  for (const parent of [config.extends ?? []].flat()) {
    if (typeof parent !== 'string') continue;
    let path: string | undefined;
    if (parent.startsWith('.') || isAbsolute(parent)) path = resolve(dirname(file), parent);
    else
      try {
        path = createRequire(join(dirname(file), 'noop.js')).resolve(parent);
      } catch {
        try {
          path = createRequire(join(dirname(file), 'noop.js')).resolve(`${parent}/tsconfig.json`);
        } catch {
          path = undefined;
        }
      }
    if (path === undefined) continue;
    if (!path.endsWith('.json') && !existsSync(path)) path = `${path}.json`;
    options = { ...options, ...compilerOptionsOf(path, seen) };
  }
  const own = config.compilerOptions ?? {};
  for (const key of [
    'module',
    'moduleResolution',
    'allowImportingTsExtensions',
    'rewriteRelativeImportExtensions',
  ] as const)
    if (own[key] !== undefined) (options as Record<string, unknown>)[key] = own[key];
  return options;
}

/** The nearest file named `name` from `dir` up, not above `stop` (when given). */
function nearest(dir: string, name: string, stop: string | undefined): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const candidate = join(at, name);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    if ((stop !== undefined && at === resolve(stop)) || dirname(at) === at) return undefined;
  }
}

/** Whether Node loads `file` as an ES module: `.mts`/`.mjs`, or `"type": "module"` above it. */
function isEsmFile(file: string, packageJson: string | undefined): boolean {
  const ext = extname(file);
  if (ext === '.mts' || ext === '.mjs') return true;
  if (ext === '.cts' || ext === '.cjs') return false;
  if (packageJson === undefined) return false;
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

/**
 * What the project's configuration requires of `file`: under `moduleResolution` (or `module`)
 * node16/nodenext, an ES module (package type module, `.mts`) names relative files with their
 * extension — `js`, or `ts` where `allowImportingTsExtensions` or
 * `rewriteRelativeImportExtensions` is set; otherwise `none`.
 */
function configuredStyle(file: string, root: string | undefined): ExtensionStyle {
  const esm = isEsmFile(file, nearest(dirname(file), 'package.json', root));
  const tsconfig = nearest(dirname(file), 'tsconfig.json', root);
  // Without a tsconfig, Node itself resolves: an ES module of JavaScript names the file it imports.
  if (tsconfig === undefined) return esm && /\.m?jsx?$/.test(file) ? 'js' : 'none';
  const options = compilerOptionsOf(tsconfig);
  const resolution = String(options.moduleResolution ?? '').toLowerCase();
  const module = String(options.module ?? '').toLowerCase();
  const nodeResolution =
    resolution === 'node16' ||
    resolution === 'nodenext' ||
    (resolution === '' && /^node(?:16|18|20|next)$/.test(module));
  if (!nodeResolution || !esm) return 'none';
  return options.allowImportingTsExtensions === true ||
    options.rewriteRelativeImportExtensions === true
    ? 'ts'
    : 'js';
}

/**
 * The convention of a file's project, for a file that shows none itself: the relative imports of
 * the files nearest to it (sampledStyle), else its tsconfig and package.json (configuredStyle).
 * `cache` (one per run) keeps the answer per directory.
 */
export function projectExtensionStyle(
  file: string,
  root: string | undefined,
  cache?: Map<string, ExtensionStyle>,
): ExtensionStyle {
  const packageJson = nearest(dirname(file), 'package.json', root);
  const packageRoot = packageJson ? dirname(packageJson) : (root ?? dirname(file));
  const key = `${dirname(resolve(file))}\0${extname(file)}`;
  const known = cache?.get(key);
  if (known) return known;
  const style = sampledStyle(file, packageRoot) ?? configuredStyle(file, root);
  cache?.set(key, style);
  return style;
}

/**
 * The convention of `file` (absolute): its own relative imports, else its project's
 * (projectExtensionStyle). `root` bounds the search for package.json and tsconfig.json.
 */
export function relativeImportStyle(
  body: readonly Statement[],
  file: string,
  root: string | undefined,
  cache?: Map<string, ExtensionStyle>,
): ExtensionStyle {
  return ownExtensionStyle(body) ?? projectExtensionStyle(file, root, cache);
}

/**
 * The extension a relative specifier of `targetPath` takes under a convention, for
 * canonicalSpecifierFrom: `.js` for a `.ts`/`.tsx`/`.js` file (`.mjs`, `.cjs` for `.mts`, `.cts`),
 * the file's own extension under `ts`, none under `none`.
 */
export function specifierExtension(style: ExtensionStyle, targetPath: string): string {
  if (style === 'none') return '';
  const ext = /\.d\.[cm]?ts$/.test(targetPath) ? '' : extname(targetPath);
  if (!CODE_FILE.test(ext)) return '';
  if (style === 'ts') return ext;
  if (ext === '.mts' || ext === '.mjs') return '.mjs';
  if (ext === '.cts' || ext === '.cjs') return '.cjs';
  return '.js';
}
