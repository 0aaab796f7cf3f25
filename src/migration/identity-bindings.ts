import type { Expression, Node } from '@babel/types';
import { readFileSync } from 'node:fs';
import { parseSource, ParseFailure } from './codemod/parse';
import { patternNames } from './codemod/scope';

// `check --identity`, one module read: what each of its exports and top-level names stands for —
// a declaration, an import, another local, a member of a namespace — one step of a chain.

/** What a declared binding is, for people: `is its own class`. */
export type DeclarationKind =
  | 'class'
  | 'function'
  | 'const'
  | 'let'
  | 'var'
  | 'enum'
  | 'interface'
  | 'type'
  | 'namespace'
  | 'value';

/** One step of a binding: what a name of a file stands for. */
export type Target =
  | { kind: 'import'; specifier: string; name: string } // name `*`: the namespace
  | { kind: 'local'; name: string }
  | { kind: 'member'; object: string; property: string }
  | { kind: 'declared'; what: DeclarationKind };

export interface Site {
  line: number;
  target: Target;
  typeOnly: boolean;
}

export interface ParsedModule {
  exports: Map<string, Site>;
  stars: { specifier: string; line: number; typeOnly: boolean }[];
  locals: Map<string, Site>;
  error?: { line: number; message: string };
}

export const RUNTIME_TYPE_KINDS: readonly DeclarationKind[] = ['interface', 'type'];

export const isType = (site: Site) =>
  site.target.kind === 'declared' && RUNTIME_TYPE_KINDS.includes(site.target.what);

/** The bindings of a file that matter here: its exports, `export *`s and top-level names. */
export function parseModule(file: string): ParsedModule {
  const module: ParsedModule = { exports: new Map(), stars: [], locals: new Map() };
  let body: Node[];
  try {
    body = parseSource(readFileSync(file, 'utf8'), file).program.body;
  } catch (error) {
    if (error instanceof ParseFailure) module.error = { line: error.line, message: error.message };
    else module.error = { line: 0, message: (error as Error).message };
    return module;
  }
  // A value and a type may share a name (declaration merging): the value is what is imported.
  const set = (map: Map<string, Site>, name: string, site: Site) => {
    const existing = map.get(name);
    const typeish = (s: Site) => s.typeOnly || isType(s);
    if (!existing || (typeish(existing) && !typeish(site))) map.set(name, site);
  };
  const line = (node: Node) => node.loc?.start.line ?? 0;
  const nameOf = (node: { type: string; name?: string; value?: string }) =>
    (node.type === 'Identifier' ? node.name : node.value) as string;

  const declare = (declaration: Node, exported: boolean, typeOnly: boolean) => {
    const sites: [string, Site][] = [];
    const at = line(declaration);
    const declared = (what: DeclarationKind): Target => ({ kind: 'declared', what });
    switch (declaration.type) {
      case 'VariableDeclaration':
        for (const declarator of declaration.declarations) {
          const kind =
            declaration.kind === 'let' || declaration.kind === 'var' ? declaration.kind : 'const';
          if (declarator.id.type !== 'Identifier') {
            for (const name of patternNames(declarator.id))
              sites.push([name, { line: line(declarator), target: declared(kind), typeOnly }]);
            continue;
          }
          // Only a const keeps what it was given: a let or var can be reassigned.
          const alias =
            kind === 'const' && declarator.init ? aliasTarget(declarator.init) : undefined;
          sites.push([
            declarator.id.name,
            { line: line(declarator), target: alias ?? declared(kind), typeOnly },
          ]);
        }
        break;
      case 'ClassDeclaration':
      case 'FunctionDeclaration':
      case 'TSDeclareFunction':
      case 'TSEnumDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSModuleDeclaration': {
        const what: Record<string, DeclarationKind> = {
          ClassDeclaration: 'class',
          FunctionDeclaration: 'function',
          TSDeclareFunction: 'function',
          TSEnumDeclaration: 'enum',
          TSInterfaceDeclaration: 'interface',
          TSModuleDeclaration: 'namespace',
        };
        const id = (declaration as { id?: Node | null }).id;
        if (id?.type === 'Identifier')
          sites.push([
            id.name,
            { line: at, target: declared(what[declaration.type] as DeclarationKind), typeOnly },
          ]);
        break;
      }
      case 'TSTypeAliasDeclaration': {
        // `type N = A` is A itself (no type arguments); anything else is a type of its own.
        const annotation = declaration.typeAnnotation;
        const alias =
          !declaration.typeParameters &&
          annotation.type === 'TSTypeReference' &&
          !annotation.typeParameters &&
          annotation.typeName.type === 'Identifier'
            ? ({ kind: 'local', name: annotation.typeName.name } as const)
            : undefined;
        sites.push([
          declaration.id.name,
          { line: at, target: alias ?? declared('type'), typeOnly: true },
        ]);
        break;
      }
      case 'TSImportEqualsDeclaration': {
        const reference = declaration.moduleReference;
        const target: Target =
          reference.type === 'TSExternalModuleReference'
            ? { kind: 'import', specifier: reference.expression.value, name: '*' }
            : reference.type === 'TSQualifiedName' && reference.left.type === 'Identifier'
              ? { kind: 'member', object: reference.left.name, property: reference.right.name }
              : reference.type === 'Identifier'
                ? { kind: 'local', name: reference.name }
                : declared('value');
        sites.push([
          declaration.id.name,
          { line: at, target, typeOnly: typeOnly || declaration.importKind === 'type' },
        ]);
        if (declaration.isExport) exported = true;
        break;
      }
      default:
        return;
    }
    for (const [name, site] of sites) {
      set(module.locals, name, site);
      if (exported) set(module.exports, name, site);
    }
  };

  for (const node of body) {
    switch (node.type) {
      case 'ImportDeclaration':
        for (const spec of node.specifiers) {
          const name =
            spec.type === 'ImportSpecifier'
              ? nameOf(spec.imported)
              : spec.type === 'ImportDefaultSpecifier'
                ? 'default'
                : '*';
          set(module.locals, spec.local.name, {
            line: line(node),
            target: { kind: 'import', specifier: node.source.value, name },
            typeOnly:
              node.importKind === 'type' ||
              (spec.type === 'ImportSpecifier' && spec.importKind === 'type'),
          });
        }
        break;
      case 'ExportNamedDeclaration': {
        // Babel marks `export declare class` as a type export too: a declaration is what it declares.
        const typeOnly = node.exportKind === 'type' && !node.declaration;
        for (const spec of node.specifiers) {
          const exported = nameOf(spec.exported);
          const specTypeOnly =
            typeOnly || (spec.type === 'ExportSpecifier' && spec.exportKind === 'type');
          let target: Target | undefined;
          if (spec.type === 'ExportNamespaceSpecifier')
            target = node.source
              ? { kind: 'import', specifier: node.source.value, name: '*' }
              : undefined;
          else if (spec.type === 'ExportSpecifier')
            target = node.source
              ? { kind: 'import', specifier: node.source.value, name: nameOf(spec.local) }
              : { kind: 'local', name: nameOf(spec.local) };
          if (target)
            set(module.exports, exported, { line: line(node), target, typeOnly: specTypeOnly });
        }
        if (node.declaration) declare(node.declaration, true, typeOnly);
        break;
      }
      case 'ExportDefaultDeclaration': {
        // Node, not the declared union: Babel also gives `export default interface I {}` here.
        const declaration = node.declaration as Node;
        const what: DeclarationKind | undefined =
          declaration.type === 'ClassDeclaration' || declaration.type === 'ClassExpression'
            ? 'class'
            : declaration.type === 'TSInterfaceDeclaration'
              ? 'interface'
              : declaration.type.includes('Function')
                ? 'function'
                : undefined;
        // `export default class Foo {}` also declares Foo in the file: the default export is Foo.
        declare(declaration, false, what === 'interface');
        const id = (declaration as { id?: Node | null }).id;
        set(module.exports, 'default', {
          line: line(node),
          target: (id?.type === 'Identifier'
            ? ({ kind: 'local', name: id.name } as const)
            : what === undefined
              ? aliasTarget(declaration)
              : undefined) ?? { kind: 'declared', what: what ?? 'value' },
          typeOnly: what === 'interface',
        });
        break;
      }
      case 'ExportAllDeclaration':
        module.stars.push({
          specifier: node.source.value,
          line: line(node),
          typeOnly: node.exportKind === 'type',
        });
        break;
      default:
        declare(node, false, false);
    }
  }
  return module;
}

/** `A`, `A as T`, `A satisfies T`, `A!`, `ns.A`: an expression that is another binding itself. */
function aliasTarget(expression: Expression | Node): Target | undefined {
  let e: Node = expression;
  while (
    e.type === 'TSAsExpression' ||
    e.type === 'TSSatisfiesExpression' ||
    e.type === 'TSNonNullExpression' ||
    e.type === 'TSTypeAssertion' ||
    e.type === 'ParenthesizedExpression'
  )
    e = e.expression;
  if (e.type === 'Identifier') return { kind: 'local', name: e.name };
  if (
    e.type === 'MemberExpression' &&
    !e.computed &&
    e.object.type === 'Identifier' &&
    e.property.type === 'Identifier'
  )
    return { kind: 'member', object: e.object.name, property: e.property.name };
  return undefined;
}
