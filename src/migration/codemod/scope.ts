import type { Identifier, JSXIdentifier, Node } from '@babel/types';
import { forEachChild, isNode } from './walk';

/** A use of a top-level binding, with its parent chain (nearest last). */
export interface Reference {
  node: Identifier | JSXIdentifier;
  ancestors: Node[];
}

const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
  'TSDeclareFunction',
  'TSDeclareMethod',
]);
const BLOCKS = new Set(['BlockStatement', 'StaticBlock', 'SwitchStatement', 'TSModuleBlock']);

/** Names a binding pattern declares (`a`, `{ b, c: d }`, `[e, ...f]`, `g = 1`). */
export function patternNames(
  pattern: Node | null | undefined,
  into: Set<string> = new Set(),
): Set<string> {
  if (!pattern) return into;
  switch (pattern.type) {
    case 'Identifier':
      into.add(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties)
        patternNames(
          property.type === 'RestElement' ? property.argument : (property.value as Node),
          into,
        );
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) patternNames(element, into);
      break;
    case 'RestElement':
      patternNames(pattern.argument, into);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, into);
      break;
    case 'TSParameterProperty':
      patternNames(pattern.parameter, into);
      break;
    default:
      break;
  }
  return into;
}

/**
 * Names declared by a list of statements: block-scoped declarations directly in it, and with
 * `functionScope`, also every `var` of nested blocks (hoisted to the function) — but never the
 * `let`/`const` of nested blocks, which are their own scopes.
 */
function declaredIn(statements: readonly Node[], names: Set<string>, functionScope: boolean): void {
  for (const statement of statements) {
    const node =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
        ? (statement.declaration as Node | null)
        : statement;
    if (!node) continue;
    if (node.type === 'VariableDeclaration') {
      if (node.kind !== 'var' || functionScope)
        for (const d of node.declarations) patternNames(d.id, names);
    } else if (
      (node.type === 'FunctionDeclaration' ||
        node.type === 'ClassDeclaration' ||
        node.type === 'TSEnumDeclaration') &&
      node.id
    ) {
      names.add(node.id.name);
    }
    if (functionScope) hoistedVars(node, names);
  }
}

/** `var` declarations inside nested blocks of a statement (not inside nested functions). */
function hoistedVars(node: Node, names: Set<string>): void {
  for (const key of ['body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'cases']) {
    const child = (node as unknown as Record<string, unknown>)[key];
    for (const c of Array.isArray(child) ? child : [child]) {
      if (
        !isNode(c) ||
        FUNCTIONS.has(c.type) ||
        c.type === 'ClassDeclaration' ||
        c.type === 'ClassExpression'
      )
        continue;
      if (c.type === 'VariableDeclaration') {
        if (c.kind === 'var') for (const d of c.declarations) patternNames(d.id, names);
        continue;
      }
      hoistedVars(c, names);
    }
  }
}

function scopeOf(node: Node): Set<string> | undefined {
  if (FUNCTIONS.has(node.type)) {
    const fn = node as Node & { params: Node[]; body: Node; id?: { name: string } | null };
    const names = new Set<string>();
    for (const param of fn.params) patternNames(param, names);
    if (node.type === 'FunctionExpression' && fn.id) names.add(fn.id.name);
    if (fn.body?.type === 'BlockStatement')
      declaredIn((fn.body as unknown as { body: Node[] }).body, names, true);
    return names;
  }
  if (BLOCKS.has(node.type)) {
    const body =
      node.type === 'SwitchStatement'
        ? node.cases.flatMap((c) => c.consequent)
        : (node as unknown as { body: Node[] }).body;
    const names = new Set<string>();
    declaredIn(body, names, false);
    return names;
  }
  if (node.type === 'CatchClause') return patternNames(node.param);
  if (
    (node.type === 'ForStatement' && node.init?.type === 'VariableDeclaration') ||
    ((node.type === 'ForInStatement' || node.type === 'ForOfStatement') &&
      node.left.type === 'VariableDeclaration')
  ) {
    const declaration = node.type === 'ForStatement' ? node.init : node.left;
    const names = new Set<string>();
    if (declaration?.type === 'VariableDeclaration')
      for (const d of declaration.declarations) patternNames(d.id, names);
    return names;
  }
  if (node.type === 'ClassExpression' && node.id) return new Set([node.id.name]);
  return undefined;
}

/** Whether an identifier at `key` of `parent` is a use of a binding, not a name of something else. */
function isReference(parent: Node, key: string, grand: Node | undefined): boolean {
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
    case 'JSXMemberExpression':
      return key !== 'property' || (parent as { computed?: boolean }).computed === true;
    case 'ObjectProperty':
      if (key === 'key') return parent.computed;
      return grand?.type !== 'ObjectPattern';
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
    case 'ClassProperty':
    case 'ClassAccessorProperty':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
      return key !== 'key' || (parent as { computed?: boolean }).computed === true;
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'MetaProperty':
    case 'TSEnumMember':
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSModuleDeclaration':
    case 'TSEnumDeclaration':
    case 'JSXAttribute':
    case 'TSTypeParameter':
      return false;
    case 'ExportSpecifier':
      return (
        key === 'local' &&
        grand?.type === 'ExportNamedDeclaration' &&
        !(grand as { source?: unknown }).source
      );
    case 'TSQualifiedName':
      return key === 'left';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return key !== 'id';
    case 'VariableDeclarator':
      return key !== 'id';
    case 'CatchClause':
      return key !== 'param';
    default:
      return true;
  }
}

/**
 * Every use of the given top-level names, skipping uses shadowed by an inner declaration of the
 * same name and the names of declarations, properties and labels.
 */
export function collectReferences(
  program: Node,
  names: ReadonlySet<string>,
): Map<string, Reference[]> {
  const found = new Map<string, Reference[]>([...names].map((name) => [name, []]));
  const ancestors: Node[] = [];
  const shadows: Set<string>[] = [];
  const shadowed = (name: string) => shadows.some((scope) => scope.has(name));
  const visit = (node: Node, key: string): void => {
    const parent = ancestors.at(-1);
    if (
      (node.type === 'Identifier' || node.type === 'JSXIdentifier') &&
      names.has(node.name) &&
      parent
    ) {
      const isParam = FUNCTIONS.has(parent.type) && key === 'params';
      const inPattern =
        parent.type === 'ObjectPattern' ||
        parent.type === 'ArrayPattern' ||
        parent.type === 'RestElement' ||
        (parent.type === 'AssignmentPattern' && key === 'left');
      if (
        !isParam &&
        !inPattern &&
        isReference(parent, key, ancestors.at(-2)) &&
        !shadowed(node.name)
      ) {
        found.get(node.name)?.push({ node, ancestors: [...ancestors] });
      }
    }
    const scope = parent === undefined ? undefined : scopeOf(node);
    if (scope) shadows.push(scope);
    ancestors.push(node);
    forEachChild(node, visit);
    ancestors.pop();
    if (scope) shadows.pop();
  };
  visit(program, 'program');
  return found;
}

/** Every name declared at the top level of a program (imports included). */
export function topLevelNames(body: readonly Node[]): Set<string> {
  const names = new Set<string>();
  declaredIn(body, names, true);
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration')
      for (const s of statement.specifiers) names.add(s.local.name);
    if (statement.type === 'TSImportEqualsDeclaration') names.add(statement.id.name);
    if (
      (statement.type === 'TSInterfaceDeclaration' ||
        statement.type === 'TSTypeAliasDeclaration') &&
      statement.id
    )
      names.add(statement.id.name);
  }
  return names;
}
