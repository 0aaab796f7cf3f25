import type {
  ExportNamedDeclaration,
  ImportDeclaration,
  Node,
  Program,
  Statement,
} from '@babel/types';
import { collectReferences, topLevelNames } from './codemod/scope';
import { isList, type ExportPlan } from './shim-plan';

// What a shim no longer uses: the imports and top-level declarations that only the code which
// moves reached. What nothing used before the shim stays as it was.

/** Statements that declare, which the sweep may take out when nothing kept uses them. */
const DECLARATION_TYPES = new Set([
  'VariableDeclaration',
  'FunctionDeclaration',
  'ClassDeclaration',
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'TSDeclareFunction',
  'TSImportEqualsDeclaration',
]);

/** What the code that stays uses, and the statements the shim leaves unused. */
export interface Sweep {
  /** The top-level names the code that stays uses. */
  usedNames: Set<string>;
  /** The import specifiers that stay. */
  liveImports: Set<Node>;
  /** Whether a statement goes: the shim leaves it unused. */
  swept: (statement: Statement) => boolean;
}

/** What stays is what the kept code reaches: imports and declarations nothing kept uses go. */
export function sweep(program: Program, plan: ExportPlan): Sweep {
  const body = program.body;
  const { byStatement, removed, declarers } = plan;
  const topLevel = topLevelNames(body);
  const candidates = new Set<string>([...topLevel, ...declarers.keys()]);
  const references = collectReferences(program, candidates);
  const referencedBy = new Map<Node, Set<string>>();
  for (const [name, refs] of references)
    for (const ref of refs) {
      const top = ref.ancestors[1];
      if (!top) continue;
      const set = referencedBy.get(top) ?? new Set<string>();
      set.add(name);
      referencedBy.set(top, set);
    }
  const importOf = new Map<string, { statement: ImportDeclaration; specifier: Node }>();
  for (const statement of body)
    if (statement.type === 'ImportDeclaration')
      for (const specifier of statement.specifiers)
        importOf.set(specifier.local.name, { statement, specifier });
  const sweepable = (statement: Statement) =>
    statement.type === 'ImportDeclaration'
      ? statement.specifiers.length > 0
      : DECLARATION_TYPES.has(statement.type) &&
        !(statement.type === 'TSModuleDeclaration' && statement.id.type !== 'Identifier') &&
        !(statement.type === 'TSModuleDeclaration' && statement.global === true) &&
        !(statement.type === 'TSImportEqualsDeclaration' && statement.isExport);
  // An export list reaches the locals of the specifiers it keeps, not of those that move.
  const keptLocals = (statement: Node): Set<string> | undefined => {
    const list = byStatement.get(statement as Statement);
    if (!isList(list?.[0]) || (statement as ExportNamedDeclaration).source) return undefined;
    return new Set(
      (list ?? [])
        .filter((site) => site.decision.kind !== 'move' && site.local !== undefined)
        .map((site) => site.local as string),
    );
  };
  /** The declarations and import specifiers the code that stays reaches, and the names it uses. */
  const reach = (gone: ReadonlySet<Node>, shimmed: boolean) => {
    const live = new Set<Node>();
    const imports = new Set<Node>();
    const used = new Set<string>();
    const queue: Node[] = [];
    for (const statement of body)
      if (!gone.has(statement) && !sweepable(statement)) {
        live.add(statement);
        queue.push(statement);
      }
    while (queue.length > 0) {
      const statement = queue.pop() as Node;
      const names = (shimmed ? keptLocals(statement) : undefined) ?? referencedBy.get(statement);
      for (const name of names ?? []) {
        used.add(name);
        const imported = importOf.get(name);
        if (imported) imports.add(imported.specifier);
        for (const declarer of declarers.get(name) ?? [])
          if (!gone.has(declarer) && !live.has(declarer)) {
            live.add(declarer);
            queue.push(declarer);
          }
      }
    }
    return { live, imports, used };
  };
  // Only what the shim leaves unused goes: code that nothing used before stays as it was.
  const before = reach(new Set(), false);
  const after = reach(removed, true);
  const usedNames = after.used;
  const liveImports = new Set<Node>(
    body.flatMap((statement) =>
      statement.type === 'ImportDeclaration'
        ? statement.specifiers.filter((x) => !before.imports.has(x) || after.imports.has(x))
        : [],
    ),
  );
  const swept = (statement: Statement) =>
    sweepable(statement) && before.live.has(statement) && !after.live.has(statement);
  return { usedNames, liveImports, swept };
}
