import type { Node, Program, Statement } from '@babel/types';
import type { LegacyExport } from '../manifest/types';
import {
  declarationOf,
  declaredNames,
  exportSites,
  isExported,
  TYPE_DECLARATIONS,
  type ExportSite,
  type PlanContext,
} from './shim-exports';

// Which exports of a legacy file a shim moves and which it keeps: the declarations that go because
// all they declare moves (or refused where only some of it does), and the locals the canonical
// object replaces.

/** An export the shim re-exports from the canonical target. */
export interface MovedExport {
  name: string;
  /** Its name at the target. */
  canonical: string;
  typeOnly: boolean;
}

/** An export whose declaration the shim keeps. */
export interface KeptExport {
  name: string;
  /** How the manifest treats it; `unlisted` when it does not name it (no `"*"` either). */
  rewrite: LegacyExport['rewrite'] | 'unlisted';
  /** Why it is kept although the manifest moves it (a version condition not met). */
  reason?: string;
}

/** The exports of a file, decided. */
export interface ExportPlan {
  sites: ExportSite[];
  /** The sites of each export statement. */
  byStatement: Map<Statement, ExportSite[]>;
  /** The statements that go: all they declare moves. */
  removed: Set<Node>;
  /** The statements that declare each top-level name. */
  declarers: Map<string, Statement[]>;
  /** Locals whose declaration the canonical object replaces. */
  replaced: Map<string, { canonical: string; typeOnly: boolean }>;
}

/**
 * The plan of a file: what moves and what stays. Refuses a declaration that both moves and stays,
 * and a file without ES module exports.
 */
export function planExports(program: Program, context: PlanContext): ExportPlan {
  const { isJs, path, target, refuse, notes } = context;
  const body = program.body;
  const sites = exportSites(program, context);

  // Type-only names of a JavaScript file do not exist at run time: nothing to re-export.
  for (const site of sites)
    if (isJs && site.decision.kind === 'move' && site.decision.typeOnly) {
      notes.push(`${path}: ${site.name} is type-only: not re-exported from a JavaScript file`);
      site.decision = { kind: 'keep', exp: site.decision.exp, deprecated: false };
    }

  // Declaration statements: all of their names move, or none.
  const removed = new Set<Node>();
  const byStatement = new Map<Statement, ExportSite[]>();
  for (const site of sites) {
    const list = byStatement.get(site.statement) ?? [];
    list.push(site);
    byStatement.set(site.statement, list);
  }
  for (const [statement, list] of byStatement) {
    if (isList(list[0])) continue;
    const moving = list.filter((s) => s.decision.kind === 'move');
    if (moving.length === list.length) removed.add(statement);
    else if (moving.length > 0)
      refuse(
        statement,
        `${moving.map((s) => s.name).join(', ')} move${moving.length === 1 ? 's' : ''} to ${target.specifier} but ${list
          .filter((s) => s.decision.kind !== 'move')
          .map((s) => s.name)
          .join(
            ', ',
          )} stay${list.length - moving.length === 1 ? 's' : ''}: declare them apart first`,
      );
  }

  // Locals whose declaration is replaced by the canonical object: those of moved declarations,
  // and the non-exported declarations an export list moves (`class Hub {}; export { Hub as X }`).
  const declarers = new Map<string, Statement[]>();
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') continue;
    const node =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
        ? (statement.declaration as Node | null)
        : statement;
    if (!node) continue;
    for (const name of declaredNames(node)) {
      const list = declarers.get(name) ?? [];
      list.push(statement);
      declarers.set(name, list);
    }
  }
  const replaced = new Map<string, { canonical: string; typeOnly: boolean }>();
  for (const site of sites) {
    if (site.decision.kind !== 'move' || site.local === undefined) continue;
    const statements = declarers.get(site.local) ?? [];
    const declaredHere = statements.includes(site.statement);
    if (!declaredHere) {
      if (statements.length === 0 || statements.some(isExported)) continue;
      for (const statement of statements) {
        const names = declaredNames(statement);
        if (names.length > 1)
          refuse(
            statement,
            `${site.local} moves to ${target.specifier} but ${names.filter((n) => n !== site.local).join(', ')}, declared with it, stay${names.length > 2 ? '' : 's'}: declare them apart first`,
          );
        removed.add(statement);
      }
    }
    replaced.set(site.local, {
      canonical: site.decision.canonical,
      typeOnly: statements.every((s) => TYPE_DECLARATIONS.has(declarationOf(s).type)),
    });
  }
  return { sites, byStatement, removed, declarers, replaced };
}

/** Whether a site is a specifier of an export list (`export { a, b as c }`). */
export function isList(site: ExportSite | undefined): boolean {
  return site?.specifier?.type === 'ExportSpecifier';
}

/** The exports the shim re-exports, each name once. */
export function movedExports(sites: readonly ExportSite[]): MovedExport[] {
  const moved: MovedExport[] = [];
  for (const site of sites)
    if (site.decision.kind === 'move' && !moved.some((m) => m.name === site.name))
      moved.push({
        name: site.name,
        canonical: site.decision.canonical,
        typeOnly: site.decision.typeOnly,
      });
  return moved;
}

/** The exports whose declaration the shim keeps, each name once. */
export function keptExports(sites: readonly ExportSite[]): KeptExport[] {
  const kept: KeptExport[] = [];
  for (const site of sites)
    if (site.decision.kind === 'keep' && !kept.some((k) => k.name === site.name))
      kept.push({
        name: site.name,
        rewrite: site.decision.exp?.rewrite ?? 'unlisted',
        ...(site.decision.reason === undefined ? {} : { reason: site.decision.reason }),
      });
  return kept;
}
