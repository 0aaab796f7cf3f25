import type { CallExpression, File, Node, StringLiteral } from '@babel/types';
import { walk } from './walk';

// Where a file names a module: every import form consumer code uses, found in one walk. The other
// rooms of the codemod rewrite what these sites name.

/** jest and vitest calls whose first argument names a module. */
const MOCK_CALLS: Record<string, ReadonlySet<string>> = {
  jest: new Set([
    'mock',
    'doMock',
    'unmock',
    'requireActual',
    'requireMock',
    'createMockFromModule',
    'setMock',
    'dontMock',
  ]),
  vi: new Set(['mock', 'doMock', 'unmock', 'importActual', 'importMock']),
};

/** Every place in a file where a module specifier is written. */
export interface Site {
  kind:
    | 'import'
    | 'export-named'
    | 'export-all'
    | 'require'
    | 'require-resolve'
    | 'dynamic-import'
    | 'mock'
    | 'import-type'
    | 'declare-module'
    | 'import-equals';
  node: Node;
  literal: StringLiteral;
  ancestors: Node[];
}

function stringArgument(call: CallExpression): StringLiteral | undefined {
  const first = call.arguments[0];
  return first?.type === 'StringLiteral' ? first : undefined;
}

/**
 * Finds every specifier position of the import forms consumer code uses. With `mayHold`, a
 * statement whose source range it rejects is not walked (an import declaration always is): a
 * caller that only wants sites naming certain modules passes where their texts occur, and the
 * walk skips the function bodies and classes that cannot hold one — most of a large file.
 */
export function findSites(ast: File, mayHold?: (start: number, end: number) => boolean): Site[] {
  const sites: Site[] = [];
  walk(ast.program, (node, ancestors) => {
    if (
      mayHold &&
      node.type !== 'ImportDeclaration' &&
      node.start != null &&
      node.end != null &&
      !mayHold(node.start, node.end)
    )
      return false;
    switch (node.type) {
      case 'ImportDeclaration':
        sites.push({ kind: 'import', node, literal: node.source, ancestors: [...ancestors] });
        return;
      case 'ExportNamedDeclaration':
        if (node.source)
          sites.push({
            kind: 'export-named',
            node,
            literal: node.source,
            ancestors: [...ancestors],
          });
        return;
      case 'ExportAllDeclaration':
        sites.push({ kind: 'export-all', node, literal: node.source, ancestors: [...ancestors] });
        return;
      case 'TSImportType': {
        const argument = node.argument as Node;
        const literal =
          argument.type === 'StringLiteral'
            ? argument
            : argument.type === 'TSLiteralType' && argument.literal.type === 'StringLiteral'
              ? argument.literal
              : undefined;
        if (literal) sites.push({ kind: 'import-type', node, literal, ancestors: [...ancestors] });
        return;
      }
      case 'TSImportEqualsDeclaration':
        // `import fs = require('fs')`; not `import x = A.B` (an alias of a namespace member).
        if (node.moduleReference.type === 'TSExternalModuleReference')
          sites.push({
            kind: 'import-equals',
            node,
            literal: node.moduleReference.expression,
            ancestors: [...ancestors],
          });
        return;
      case 'TSModuleDeclaration':
        if (node.id.type === 'StringLiteral')
          sites.push({ kind: 'declare-module', node, literal: node.id, ancestors: [...ancestors] });
        return;
      case 'CallExpression': {
        const literal = stringArgument(node);
        if (!literal) return;
        const callee = node.callee;
        if (callee.type === 'Import')
          sites.push({ kind: 'dynamic-import', node, literal, ancestors: [...ancestors] });
        else if (callee.type === 'Identifier' && callee.name === 'require')
          sites.push({ kind: 'require', node, literal, ancestors: [...ancestors] });
        else if (
          callee.type === 'MemberExpression' &&
          !callee.computed &&
          callee.object.type === 'Identifier' &&
          callee.property.type === 'Identifier'
        ) {
          if (callee.object.name === 'require' && callee.property.name === 'resolve')
            sites.push({ kind: 'require-resolve', node, literal, ancestors: [...ancestors] });
          else if (MOCK_CALLS[callee.object.name]?.has(callee.property.name))
            sites.push({ kind: 'mock', node, literal, ancestors: [...ancestors] });
        }
        return;
      }
      default:
        return;
    }
  });
  return sites;
}

/** The statement a site belongs to (where a marker goes). */
export function statementOf(site: Site): Node {
  const chain = [...site.ancestors, site.node];
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i] as Node;
    const parent = chain[i - 1];
    if (
      parent &&
      (parent.type === 'Program' ||
        parent.type === 'BlockStatement' ||
        parent.type === 'TSModuleBlock' ||
        parent.type === 'SwitchCase' ||
        parent.type === 'StaticBlock')
    )
      return node;
  }
  return site.node;
}

/** How a site is written, for messages. */
export function shape(site: Site): string {
  return {
    import: 'import',
    'export-named': 'export … from',
    'export-all': 'export *',
    require: 'require()',
    'require-resolve': 'require.resolve()',
    'dynamic-import': 'import()',
    mock: 'a mock',
    'import-type': 'import() type',
    'declare-module': 'declare module',
    'import-equals': 'import = require()',
  }[site.kind];
}
