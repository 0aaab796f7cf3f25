import type {
  ClassDeclaration,
  ClassExpression,
  Node,
  ObjectExpression,
  Statement,
} from '@babel/types';
import { walk } from '../codemod/walk';

// What an implementation offers its callers, read from its source (a .ts, .js or .d.ts file): the
// public methods of a class, or of the object a factory function returns, with their arity. Two
// implementations of one concept show the same surface under whatever names they were given.

/** The shortest body (normalized characters) whose fingerprint makes two classes copies. */
export const MIN_FINGERPRINT = 40;

/** A member's arity as Function.prototype.length counts it; accessors are ACCESSOR. */
export const ACCESSOR = -1;

/** A class or a factory function of one file. */
export interface Implementation {
  /** Its name in the file (the local binding). */
  name: string;
  kind: 'class' | 'factory';
  /** The names the file exports it under (`default` for a default export); empty when not exported. */
  exportedAs: string[];
  line: number;
  /** Lines of source it spans. */
  lines: number;
  /** Public members: name (`static name` for a static one) → arity, or ACCESSOR. */
  members: Map<string, number>;
  /** The parameters each method takes at most (optional ones included; Infinity with a rest one). */
  maxParams: Map<string, number>;
  /** An abstract class: a base to extend, never an implementation to converge on. */
  abstract: boolean;
  /** The class it extends and the interfaces it implements, by name: variations by design, not copies. */
  extends: string | undefined;
  implements: string[];
  /** Classes it constructs (`new X`): a facade over X is not a duplicate of X. */
  uses: string[];
  /** Its body without comments and with whitespace collapsed: two copies of one class share it. */
  fingerprint: string;
}

const nameOf = (node: Node | null | undefined): string | undefined =>
  node?.type === 'Identifier'
    ? node.name
    : node?.type === 'MemberExpression' || node?.type === 'TSQualifiedName'
      ? nameOf(
          (node as { property?: Node; right?: Node }).property ?? (node as { right?: Node }).right,
        )
      : node?.type === 'TSExpressionWithTypeArguments' ||
          (node?.type as string) === 'TSClassImplements'
        ? nameOf((node as { expression: Node }).expression)
        : undefined;

/** How an implementation relates to other classes, and its fingerprint. */
function relationsOf(
  declaration: Node,
  source: string,
): Pick<Implementation, 'abstract' | 'extends' | 'implements' | 'uses' | 'fingerprint'> {
  const d = declaration as {
    abstract?: boolean;
    superClass?: Node | null;
    implements?: Node[] | null;
    body?: Node;
  };
  const uses = new Set<string>();
  walk(declaration, (node) => {
    if (node.type === 'NewExpression') {
      const name = nameOf(node.callee as Node);
      if (name) uses.add(name);
    }
  });
  const body = d.body;
  const text = body?.start != null && body.end != null ? source.slice(body.start, body.end) : '';
  return {
    abstract: d.abstract === true,
    extends: nameOf(d.superClass),
    implements: (d.implements ?? []).map(nameOf).filter((n): n is string => n !== undefined),
    uses: [...uses],
    fingerprint: text
      .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  };
}

/** Function.length: the parameters before the first optional, defaulted or rest one (`this` aside). */
function arity(params: readonly Node[]): number {
  let count = 0;
  for (const param of params) {
    if (param.type === 'Identifier' && param.name === 'this') continue;
    if (param.type === 'AssignmentPattern' || param.type === 'RestElement') break;
    if ((param as { optional?: boolean }).optional) break;
    if (param.type === 'TSParameterProperty') {
      if (param.parameter.type === 'AssignmentPattern') break;
      if ((param.parameter as { optional?: boolean }).optional) break;
    }
    count++;
  }
  return count;
}

/** A member's name when it is a public one: not `#private`, TS private/protected, `_internal` or computed. */
function publicName(member: Node): string | undefined {
  const m = member as {
    key?: Node;
    computed?: boolean;
    accessibility?: string;
    static?: boolean;
  };
  if (!m.key || m.computed || m.accessibility === 'private' || m.accessibility === 'protected')
    return undefined;
  const key =
    m.key.type === 'Identifier'
      ? m.key.name
      : m.key.type === 'StringLiteral'
        ? m.key.value
        : undefined;
  if (key === undefined || key === 'constructor' || key.startsWith('_')) return undefined;
  return m.static ? `static ${key}` : key;
}

/** Every parameter a function takes (Infinity with a rest parameter), `this` aside. */
function maxParams(params: readonly Node[]): number {
  const real = params.filter((p) => !(p.type === 'Identifier' && p.name === 'this'));
  return real.some((p) => p.type === 'RestElement') ? Infinity : real.length;
}

/** A function-valued member's parameter list. */
function paramsOf(member: Node): readonly Node[] | undefined {
  switch (member.type) {
    case 'ClassMethod':
    case 'TSDeclareMethod':
    case 'ObjectMethod':
      return member.params as Node[];
    case 'ClassProperty':
    case 'ObjectProperty': {
      const value = member.value as Node | null | undefined;
      if (value?.type === 'ArrowFunctionExpression' || value?.type === 'FunctionExpression')
        return value.params;
      const annotation = (member as { typeAnnotation?: { typeAnnotation?: Node } | null })
        .typeAnnotation?.typeAnnotation;
      if (annotation?.type === 'TSFunctionType') return annotation.parameters as unknown as Node[];
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The arity of a function-valued member, ACCESSOR for get/set, undefined for a plain property. */
function memberArity(member: Node): number | undefined {
  if ((member as { kind?: string }).kind === 'get' || (member as { kind?: string }).kind === 'set')
    return ACCESSOR;
  const params = paramsOf(member);
  return params ? arity(params) : undefined;
}

type Surface = Pick<Implementation, 'members' | 'maxParams'>;

/** The public surface of class members or object properties. */
function surfaceOf(nodes: readonly Node[]): Surface {
  const surface: Surface = { members: new Map(), maxParams: new Map() };
  for (const node of nodes) {
    const name = publicName(node);
    const count = name === undefined ? undefined : memberArity(node);
    if (name === undefined || count === undefined || surface.members.has(name)) continue;
    surface.members.set(name, count);
    const params = paramsOf(node);
    surface.maxParams.set(name, count === ACCESSOR || !params ? count : maxParams(params));
  }
  return surface;
}

const classMembers = (node: ClassDeclaration | ClassExpression): Surface =>
  surfaceOf(node.body.body);
const objectMembers = (node: ObjectExpression): Surface =>
  surfaceOf(node.properties.filter((p) => p.type !== 'SpreadElement'));

/** A factory's name: create…, make…, build…, new… (a `get…` returns one shared object: a singleton). */
const FACTORY_NAME = /^(?:create|make|build|new)[A-Z0-9_]/;

/** The object literal a function returns (its expression body, or its last `return`). */
function returnedObject(fn: Node): ObjectExpression | undefined {
  const body = (fn as { body?: Node }).body;
  if (!body) return undefined;
  const unwrap = (node: Node | null | undefined): Node | null | undefined => {
    while (
      node &&
      (node.type === 'TSAsExpression' ||
        node.type === 'TSSatisfiesExpression' ||
        node.type === 'ParenthesizedExpression')
    )
      node = node.expression;
    return node;
  };
  if (body.type !== 'BlockStatement') {
    const value = unwrap(body);
    return value?.type === 'ObjectExpression' ? value : undefined;
  }
  for (let i = body.body.length - 1; i >= 0; i--) {
    const statement = body.body[i] as Statement;
    if (statement.type !== 'ReturnStatement') continue;
    const value = unwrap(statement.argument);
    return value?.type === 'ObjectExpression' ? value : undefined;
  }
  return undefined;
}

/** Names each top-level binding is exported under. */
function exportNames(body: readonly Statement[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const add = (local: string, exported: string) =>
    names.set(local, [...(names.get(local) ?? []), exported]);
  for (const statement of body) {
    if (statement.type === 'ExportNamedDeclaration' && !statement.source) {
      for (const specifier of statement.specifiers)
        if (specifier.type === 'ExportSpecifier' && specifier.local.type === 'Identifier')
          add(
            specifier.local.name,
            specifier.exported.type === 'Identifier'
              ? specifier.exported.name
              : specifier.exported.value,
          );
    } else if (
      statement.type === 'ExportDefaultDeclaration' &&
      statement.declaration.type === 'Identifier'
    )
      add(statement.declaration.name, 'default');
  }
  return names;
}

/**
 * The classes and factory functions declared at the top level of a file (its program body and
 * source text).
 */
export function implementationsOf(body: readonly Statement[], source: string): Implementation[] {
  const exported = exportNames(body);
  const found: Implementation[] = [];
  const add = (
    node: Node,
    declaration: Node,
    name: string,
    kind: Implementation['kind'],
    { members, maxParams }: Surface,
    exportedHere: string | undefined,
  ) => {
    const relations = relationsOf(declaration, source);
    // A class without public members is still a copy of another when their bodies are the same.
    if (members.size === 0 && relations.fingerprint.length < MIN_FINGERPRINT) return;
    const start = node.loc?.start.line ?? 1;
    found.push({
      name,
      kind,
      exportedAs: [...(exportedHere ? [exportedHere] : []), ...(exported.get(name) ?? [])],
      line: start,
      lines: (node.loc?.end.line ?? start) - start + 1,
      members,
      maxParams,
      ...relations,
    });
  };
  for (const statement of body) {
    let declaration: Node | null | undefined = statement;
    let exportedHere: string | undefined;
    if (statement.type === 'ExportNamedDeclaration') {
      declaration = statement.declaration;
    } else if (statement.type === 'ExportDefaultDeclaration') {
      declaration = statement.declaration;
      exportedHere = 'default';
    }
    if (!declaration) continue;
    if (declaration.type === 'ClassDeclaration' && declaration.id) {
      const name = declaration.id.name;
      add(
        statement,
        declaration,
        name,
        'class',
        classMembers(declaration),
        exportedHere ?? exportedName(statement, name),
      );
    } else if (declaration.type === 'FunctionDeclaration' && declaration.id) {
      const name = declaration.id.name;
      const object = FACTORY_NAME.test(name) ? returnedObject(declaration) : undefined;
      if (object)
        add(
          statement,
          declaration,
          name,
          'factory',
          objectMembers(object),
          exportedHere ?? exportedName(statement, name),
        );
    } else if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type !== 'Identifier' || !declarator.init) continue;
        const name = declarator.id.name;
        const init = declarator.init;
        const here = exportedName(statement, name);
        if (init.type === 'ClassExpression')
          add(statement, init, name, 'class', classMembers(init), here);
        else if (
          (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression') &&
          FACTORY_NAME.test(name)
        ) {
          const object = returnedObject(init);
          if (object) add(statement, init, name, 'factory', objectMembers(object), here);
        }
      }
    }
  }
  return found;
}

/** `name` when the statement is `export <declaration of name>`. */
function exportedName(statement: Statement, name: string): string | undefined {
  return statement.type === 'ExportNamedDeclaration' ? name : undefined;
}
