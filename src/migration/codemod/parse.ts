import { parse, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import { extname } from 'node:path';

/** A file the parser refused; `line` and `column` are 1-based. */
export class ParseFailure extends Error {
  override name = 'ParseFailure' as const;
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

export const SOURCE_EXTENSIONS = [
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
] as const;

/** The parser plugins for a file, by its extension (TypeScript files never get JSX, and back). */
export function pluginsFor(filePath: string): ParserPlugin[] {
  const ext = extname(filePath);
  const base: ParserPlugin[] = [
    'decorators-legacy',
    'importAttributes',
    'explicitResourceManagement',
  ];
  if (ext === '.tsx') return [...base, 'typescript', 'jsx'];
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    return [
      ...base,
      filePath.endsWith('.d.ts') || filePath.endsWith('.d.mts') || filePath.endsWith('.d.cts')
        ? ['typescript', { dts: true }]
        : 'typescript',
    ];
  }
  return [...base, 'jsx'];
}

/** Parses with Babel (what jscodeshift's ts/tsx parsers use underneath), never reprinting. */
export function parseSource(source: string, filePath: string): File {
  try {
    return parse(source, {
      sourceType: 'module',
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      errorRecovery: false,
      plugins: pluginsFor(filePath),
    });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    throw new ParseFailure(loc?.line ?? 1, (loc?.column ?? 0) + 1, (error as Error).message);
  }
}

/** The AST, or the failure as a parse-error result that leaves the source untouched. */
export function parseOrReport(
  source: string,
  filePath: string,
):
  | File
  | {
      status: 'parse-error';
      output: string;
      codes: string[];
      markers: [];
      error: { line: number; column: number; message: string };
    } {
  try {
    return parseSource(source, filePath);
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    return {
      status: 'parse-error',
      output: source,
      codes: [],
      markers: [],
      error: { line: error.line, column: error.column, message: error.message },
    };
  }
}
