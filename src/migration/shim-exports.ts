import type { ExportSpecifier, Node, Program, Statement } from '@babel/types';
import {
  canonicalName,
  exportFor,
  requiresOf,
  satisfiesRequires,
  type CanonicalTarget,
} from '../manifest/targets';
import type { LegacyExport, ManifestEntry } from '../manifest/types';
import { patternNames } from './codemod/scope';

// The exports of a legacy file, each with the manifest's word on it (move to the canonical target,
// or keep), and the names its declarations declare.

export type Decision =
  | { kind: 'move'; exp: LegacyExport; canonical: string; typeOnly: boolean }
  | { kind: 'keep'; exp: LegacyExport | undefined; deprecated: boolean; reason?: string };

/** One exported name of the file, and where it comes from. */
export interface ExportSite {
  name: string;
  /** The local binding, when the export names one of this file (not `export … from`). */
  local: string | undefined;
  statement: Statement;
  /** The specifier of an export list, or undefined for a declaration or `export default`. */
  specifier?: ExportSpecifier | Node;
  typeOnly: boolean;
  decision: Decision;
}

/** What the planning of a file knows of it, and where it reports. */
export interface PlanContext {
  /** The file, relative to the repository root. */
  path: string;
  entry: ManifestEntry;
  target: CanonicalTarget;
  /** A JavaScript file: its type-only names do not exist at run time. */
  isJs: boolean;
  installedVersion: ((packageName: string) => string | undefined) | undefined;
  /** Throws the ShimRefusal of a node. */
  refuse: (node: Node, message: string) => never;
  lineOf: (offset: number) => number;
  /** What the shim could not do, for people. */
  notes: string[];
}

/** Declarations of types only: nothing of them exists at run time. */
export const TYPE_DECLARATIONS = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration']);

/** Every export of the file, with the manifest's word on it. */
export function exportSites(program: Program, context: PlanContext): ExportSite[] {
  const { path, entry, refuse, lineOf, notes } = context;
  const body = program.body;
  const decide = decider(context);
  const sites: ExportSite[] = [];
  let exportsSeen = 0;
  for (const statement of body) {
    if (statement.type === 'TSExportAssignment')
      refuse(statement, '`export =` is not supported: shim rewrites ES module exports');
    if (statement.type === 'ExportAllDeclaration') {
      exportsSeen++;
      if (entry.exports.some((e) => e.name === '*' && e.rewrite === 'same-object'))
        notes.push(
          `${path}:${lineOf(statement.start ?? 0)}: \`export * from '${statement.source.value}'\` kept: the names it re-exports are not shimmed`,
        );
      continue;
    }
    if (statement.type === 'ExportDefaultDeclaration') {
      exportsSeen++;
      const declaration = statement.declaration as Node;
      const typeOnly = TYPE_DECLARATIONS.has(declaration.type);
      const local =
        declaration.type === 'Identifier'
          ? declaration.name
          : 'id' in declaration && declaration.id?.type === 'Identifier'
            ? declaration.id.name
            : undefined;
      sites.push({
        name: 'default',
        local,
        statement,
        typeOnly,
        decision: decide('default', typeOnly),
      });
      continue;
    }
    if (statement.type === 'TSImportEqualsDeclaration' && statement.isExport) {
      exportsSeen++;
      const name = statement.id.name;
      sites.push({ name, local: name, statement, typeOnly: false, decision: decide(name, false) });
      continue;
    }
    if (statement.type !== 'ExportNamedDeclaration') continue;
    exportsSeen++;
    if (statement.declaration) {
      const declaration = statement.declaration as Node;
      const typeOnly = TYPE_DECLARATIONS.has(declaration.type) || statement.exportKind === 'type';
      for (const name of declaredNames(declaration))
        sites.push({ name, local: name, statement, typeOnly, decision: decide(name, typeOnly) });
      continue;
    }
    for (const specifier of statement.specifiers) {
      const name =
        specifier.exported.type === 'Identifier'
          ? specifier.exported.name
          : specifier.exported.value;
      const typeOnly =
        statement.exportKind === 'type' ||
        (specifier.type === 'ExportSpecifier' && specifier.exportKind === 'type');
      const local =
        statement.source || specifier.type !== 'ExportSpecifier' ? undefined : specifier.local.name;
      sites.push({
        name,
        local,
        statement,
        specifier,
        typeOnly,
        decision: decide(name, typeOnly),
      });
    }
  }
  if (exportsSeen === 0)
    refuse(
      (body[0] ?? program) as Node,
      'no export statements: shim rewrites ES modules (`export …`), not `module.exports`',
    );
  return sites;
}

/** The manifest's word on an exported name of the file. */
function decider(context: PlanContext): (name: string, typeOnly: boolean) => Decision {
  const { entry, target } = context;
  return (name, typeOnly) => {
    const exp = exportFor(entry, name);
    if (!exp) return { kind: 'keep', exp, deprecated: false };
    if (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename')
      return { kind: 'keep', exp, deprecated: exp.rewrite !== 'stays' };
    const range = requiresOf(entry, exp);
    if (range !== undefined) {
      const installed =
        target.kind === 'package' && target.packageName !== undefined
          ? context.installedVersion?.(target.packageName)
          : undefined;
      if (!satisfiesRequires(installed, range))
        return {
          kind: 'keep',
          exp,
          deprecated: true,
          reason: `needs ${target.specifier}@${range} (installed: ${installed ?? 'none'})`,
        };
    }
    return {
      kind: 'move',
      exp,
      canonical: canonicalName(exp, name),
      typeOnly: typeOnly || exp.typeOnly === true,
    };
  };
}

/** The names a declaration (or a statement holding one) declares. */
export function declaredNames(node: Node): string[] {
  const declaration = declarationOf(node);
  switch (declaration.type) {
    case 'VariableDeclaration': {
      const names = new Set<string>();
      for (const d of declaration.declarations) patternNames(d.id, names);
      return [...names];
    }
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'TSDeclareFunction':
      return declaration.id ? [declaration.id.name] : [];
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSEnumDeclaration':
    case 'TSImportEqualsDeclaration':
      return [declaration.id.name];
    case 'TSModuleDeclaration':
      return declaration.id.type === 'Identifier' ? [declaration.id.name] : [];
    default:
      return [];
  }
}

/** The declaration a statement holds (`export …`), or the statement itself. */
export function declarationOf(node: Node): Node {
  return (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') &&
    node.declaration
    ? (node.declaration as Node)
    : node;
}

/** Whether a statement exports (`export …`, `export import x = …`). */
export function isExported(statement: Node): boolean {
  return (
    statement.type === 'ExportNamedDeclaration' ||
    statement.type === 'ExportDefaultDeclaration' ||
    (statement.type === 'TSImportEqualsDeclaration' && statement.isExport)
  );
}
