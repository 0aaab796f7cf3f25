import type { Node } from '@babel/types';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { resolveRelative } from './codemod/module-exports';
import { parseSource } from './codemod/parse';
import { mapSpecifier, readPathMapping, type PathMapping } from './codemod/tsconfig-paths';
import { walk } from './codemod/walk';

// A shim re-exports its moved names from the entry's canonical target. When that target is a
// repository file which itself uses one of the entry's legacy files — directly, or through other
// repository files it imports — the shim closes a module cycle: the canonical implementation
// then uses itself under the legacy name (`new MemoryCache()` inside `Cache` becomes `new Cache()`,
// and recursion never ends). tsc cannot see it; shim refuses such an entry.

const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** The repository files a file imports at run time (type-only imports and re-exports left out). */
function runtimeSpecifiers(source: string, path: string): string[] {
  const specifiers: string[] = [];
  let ast;
  try {
    ast = parseSource(source, path);
  } catch {
    return specifiers; // a file that does not parse says nothing here (shim refuses it elsewhere)
  }
  for (const statement of ast.program.body) {
    if (statement.type === 'ImportDeclaration') {
      const typeOnly =
        statement.importKind === 'type' ||
        (statement.specifiers.length > 0 &&
          statement.specifiers.every(
            (s) => s.type === 'ImportSpecifier' && s.importKind === 'type',
          ));
      if (!typeOnly) specifiers.push(statement.source.value);
    } else if (
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportAllDeclaration') &&
      statement.source &&
      statement.exportKind !== 'type'
    )
      specifiers.push(statement.source.value);
    else if (
      statement.type === 'TSImportEqualsDeclaration' &&
      statement.importKind !== 'type' &&
      statement.moduleReference.type === 'TSExternalModuleReference'
    )
      specifiers.push(statement.moduleReference.expression.value);
  }
  // require('./x') and import('./x') anywhere.
  walk(ast.program, (node: Node) => {
    if (node.type !== 'CallExpression') return;
    const [argument] = node.arguments;
    if (argument?.type !== 'StringLiteral') return;
    if (
      node.callee.type === 'Import' ||
      (node.callee.type === 'Identifier' && node.callee.name === 'require')
    )
      specifiers.push(argument.value);
  });
  return specifiers;
}

/** The repository file (absolute) a specifier of `from` names, or undefined (a package, an asset). */
function resolveFile(
  specifier: string,
  from: string,
  root: string,
  mapping: PathMapping | undefined,
): string | undefined {
  // mapSpecifier gives absolute paths without extensions: resolveRelative probes them as well.
  const candidates = specifier.startsWith('.')
    ? [specifier]
    : mapping
      ? mapSpecifier(mapping, specifier)
      : [];
  for (const candidate of candidates) {
    const file = resolveRelative(candidate, from);
    if (file === undefined || !CODE.test(file) || file.endsWith('.d.ts')) continue;
    const path = relative(root, file);
    if (path.startsWith('..') || path.split(sep).includes('node_modules')) return undefined;
    return file;
  }
  return undefined;
}

/**
 * The chain of repository files (paths from `root`) from the canonical target to the first of
 * `legacyFiles` it reaches through its imports, `[target, …, legacy]`; undefined when it reaches
 * none. Type-only imports do not count: they are gone at run time.
 */
export function canonicalCycle(
  root: string,
  target: string,
  legacyFiles: readonly string[],
): string[] | undefined {
  const legacy = new Set(legacyFiles.map((file) => resolve(root, file)));
  const tsconfig = join(root, 'tsconfig.json');
  const mapping = existsSync(tsconfig) ? readPathMapping(tsconfig) : undefined;
  const start = resolve(root, target);
  if (!existsSync(start)) return undefined;
  const parent = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  const show = (file: string) => relative(root, file).replace(/\\/g, '/');
  while (queue.length > 0) {
    const file = queue.shift() as string;
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const specifier of runtimeSpecifiers(source, file)) {
      const next = resolveFile(specifier, file, root, mapping);
      if (next === undefined || parent.has(next)) continue;
      parent.set(next, file);
      if (legacy.has(next)) {
        const chain: string[] = [];
        for (let at: string | undefined = next; at !== undefined; at = parent.get(at))
          chain.unshift(show(at));
        return chain;
      }
      queue.push(next);
    }
  }
  return undefined;
}
