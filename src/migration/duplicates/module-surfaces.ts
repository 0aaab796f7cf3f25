import { readFileSync } from 'node:fs';
import type { Statement } from '@babel/types';
import { resolveRelative } from '../codemod/module-exports';
import { parseSource, ParseFailure } from '../codemod/parse';
import { implementationsOf, type Implementation } from './surface';

/**
 * The implementations a module exports, by export name, following its re-exports (`export { A as
 * B } from './a'`, `export * from './b'`, an imported name exported again) into the files it can
 * read: how a package's type declarations reach the classes they describe.
 */
export function exportedImplementations(
  file: string,
  seen: Set<string> = new Set(),
): Map<string, Implementation> {
  const found = new Map<string, Implementation>();
  if (seen.has(file)) return found;
  seen.add(file);
  let body: Statement[];
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
    body = parseSource(source, file).program.body;
  } catch (error) {
    if (error instanceof ParseFailure || (error as NodeJS.ErrnoException).code === 'ENOENT')
      return found;
    throw error;
  }
  for (const implementation of implementationsOf(body, source))
    for (const name of implementation.exportedAs) found.set(name, implementation);
  const from = (specifier: string) => {
    const target = specifier.startsWith('.') ? resolveRelative(specifier, file) : undefined;
    return target ? exportedImplementations(target, seen) : new Map<string, Implementation>();
  };
  // Names imported from files of the package, for `import { A } from './a'; export { A }`.
  const imported = new Map<string, { source: string; name: string }>();
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration')
      for (const specifier of statement.specifiers)
        if (specifier.type === 'ImportSpecifier')
          imported.set(specifier.local.name, {
            source: statement.source.value,
            name:
              specifier.imported.type === 'Identifier'
                ? specifier.imported.name
                : specifier.imported.value,
          });
  }
  for (const statement of body) {
    if (statement.type === 'ExportAllDeclaration') {
      for (const [name, implementation] of from(statement.source.value))
        if (name !== 'default' && !found.has(name)) found.set(name, implementation);
    } else if (statement.type === 'ExportNamedDeclaration') {
      for (const specifier of statement.specifiers) {
        if (specifier.type !== 'ExportSpecifier') continue;
        const exported =
          specifier.exported.type === 'Identifier'
            ? specifier.exported.name
            : specifier.exported.value;
        const local = specifier.local.name;
        const origin = statement.source
          ? { source: statement.source.value, name: local }
          : imported.get(local);
        const implementation = origin ? from(origin.source).get(origin.name) : undefined;
        if (implementation && !found.has(exported)) found.set(exported, implementation);
      }
    }
  }
  return found;
}
