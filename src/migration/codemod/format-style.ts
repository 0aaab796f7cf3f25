import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The layout choices of a project's prettier config that an import rewrite must respect. */
export interface FormatStyle {
  printWidth: number;
  tabWidth: number;
  useTabs: boolean;
  trailingComma: 'all' | 'es5' | 'none';
}

/** Prettier 3's defaults, for a config file that does not set a value. */
const PRETTIER_DEFAULTS: FormatStyle = {
  printWidth: 80,
  tabWidth: 2,
  useTabs: false,
  trailingComma: 'all',
};

const CONFIG_FILES = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.json5',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.toml',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
  'prettier.config.ts',
];

const byDirectory = new Map<string, FormatStyle | null>();

/**
 * The prettier style that governs `file`, when the project has a prettier config between the
 * file's directory and `root` (the nearest wins, as prettier resolves it); undefined when it has
 * none, and the file's own layout is all there is to follow. Config files are read as text, so a
 * JavaScript config is understood for plain literal values (`printWidth: 100`) only.
 */
export function prettierStyle(file: string, root: string): FormatStyle | undefined {
  const top = resolve(root);
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const style = styleIn(dir);
    if (style !== null) return style;
    if (dir === top || dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

/** The style a directory's own config file gives; null when the directory has none. */
function styleIn(dir: string): FormatStyle | null {
  const cached = byDirectory.get(dir);
  if (cached !== undefined) return cached;
  let style: FormatStyle | null = null;
  for (const name of CONFIG_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) {
      style = fromText(readFileSync(path, 'utf8'));
      break;
    }
  }
  const pkg = join(dir, 'package.json');
  if (style === null && existsSync(pkg)) {
    try {
      const value = (JSON.parse(readFileSync(pkg, 'utf8')) as { prettier?: unknown }).prettier;
      if (value !== undefined)
        style = typeof value === 'object' ? fromText(JSON.stringify(value)) : PRETTIER_DEFAULTS;
    } catch {
      // A package.json that does not parse says nothing about formatting.
    }
  }
  byDirectory.set(dir, style);
  return style;
}

/** Reads the four values from JSON, YAML, TOML or a JavaScript object literal alike. */
function fromText(text: string): FormatStyle {
  const value = (key: string) =>
    new RegExp(`["']?${key}["']?\\s*[:=]\\s*["']?([\\w.]+)`).exec(text)?.[1];
  const printWidth = Number(value('printWidth'));
  const tabWidth = Number(value('tabWidth'));
  const trailingComma = value('trailingComma');
  return {
    printWidth: Number.isInteger(printWidth) && printWidth > 0 ? printWidth : 80,
    tabWidth: Number.isInteger(tabWidth) && tabWidth > 0 ? tabWidth : 2,
    useTabs: value('useTabs') === 'true',
    trailingComma:
      trailingComma === 'none' || trailingComma === 'es5' || trailingComma === 'all'
        ? trailingComma
        : 'all',
  };
}
