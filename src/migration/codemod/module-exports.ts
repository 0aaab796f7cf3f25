import type { Node } from '@babel/types';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseSource, ParseFailure } from './parse';
import { patternNames } from './scope';

/** What a module exports, read from its source: every name, and which of them are types only. */
export interface ModuleExports {
  names: Set<string>;
  typeOnly: Set<string>;
  /**
   * False when the list cannot be proven whole: an `export *` from a module that cannot be read
   * (a package), `export =`, or a file that does not parse.
   */
  complete: boolean;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
const cache = new Map<string, ModuleExports>();

/** The file a relative specifier names from `fromFile` (extensions and index files tried). */
export function resolveRelative(specifier: string, fromFile: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => `${base}${ext}`),
    ...EXTENSIONS.map((ext) => `${base.replace(/\.(m|c)?js$/, '')}${ext}`),
    ...EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/**
 * The exports of a source file, following `export * from` into files it can read. Used where a
 * rewrite must reproduce exactly what the legacy module provided (`export * from legacy`).
 */
export function moduleExports(file: string, seen: Set<string> = new Set()): ModuleExports {
  // Keyed by modification time too: a later step of a migration may rewrite the file.
  const key = existsSync(file) ? `${file}\0${statSync(file).mtimeMs}` : file;
  const cached = cache.get(key);
  if (cached) return cached;
  const result: ModuleExports = { names: new Set(), typeOnly: new Set(), complete: true };
  if (seen.has(file)) return result; // a cycle adds nothing new
  seen.add(file);
  let body: Node[];
  try {
    body = parseSource(readFileSync(file, 'utf8'), file).program.body;
  } catch (error) {
    if (!(error instanceof ParseFailure) && (error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw error;
    return { ...result, complete: false };
  }
  const add = (name: string, typeOnly: boolean) => {
    result.names.add(name);
    if (typeOnly) result.typeOnly.add(name);
    else result.typeOnly.delete(name);
  };
  for (const node of body) {
    if (node.type === 'ExportDefaultDeclaration') add('default', false);
    else if (node.type === 'TSExportAssignment') result.complete = false;
    else if (node.type === 'ExportAllDeclaration') {
      const target = node.source.value.startsWith('.')
        ? resolveRelative(node.source.value, file)
        : undefined;
      if (!target) {
        result.complete = false;
        continue;
      }
      const inner = moduleExports(target, seen);
      result.complete &&= inner.complete;
      for (const name of inner.names)
        if (name !== 'default') add(name, node.exportKind === 'type' || inner.typeOnly.has(name));
    } else if (node.type === 'ExportNamedDeclaration') {
      const typeOnlyStatement = node.exportKind === 'type';
      for (const spec of node.specifiers) {
        const exported = spec.exported;
        const name = exported.type === 'Identifier' ? exported.name : exported.value;
        add(
          name,
          typeOnlyStatement || (spec.type === 'ExportSpecifier' && spec.exportKind === 'type'),
        );
      }
      const declaration = node.declaration;
      if (!declaration) continue;
      switch (declaration.type) {
        case 'VariableDeclaration':
          for (const declarator of declaration.declarations)
            for (const name of patternNames(declarator.id)) add(name, false);
          break;
        case 'TSInterfaceDeclaration':
        case 'TSTypeAliasDeclaration':
          add(declaration.id.name, true);
          break;
        case 'TSModuleDeclaration':
          if (declaration.id.type === 'Identifier') add(declaration.id.name, false);
          break;
        default:
          if ('id' in declaration && declaration.id?.type === 'Identifier')
            add(declaration.id.name, false);
      }
    }
  }
  cache.set(key, result);
  return result;
}
