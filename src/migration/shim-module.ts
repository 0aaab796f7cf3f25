import type {
  Comment,
  ExportNamedDeclaration,
  ExportSpecifier,
  ImportDeclaration,
  Node,
  ObjectExpression,
  Statement,
} from '@babel/types';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { entryToJson } from '../manifest/entry-json';
import { teamDeprecatedTag, type ManifestSource } from '../manifest/render';
import {
  canonicalName,
  canonicalOf,
  canonicalSpecifierFrom,
  canonicalTargetOf,
  exportFor,
  requiresOf,
  satisfiesRequires,
} from '../manifest/targets';
import type { LegacyExport, Manifest, ManifestEntry } from '../manifest/types';
import { applyEdits, type TextEdit } from './codemod/edits';
import {
  ownExtensionStyle,
  projectExtensionStyle,
  specifierExtension,
  type ExtensionStyle,
} from './import-extension';
import { parseSource } from './codemod/parse';
import { collectReferences, patternNames, topLevelNames } from './codemod/scope';

// `unified-ws shim`: a legacy file of a team's manifest rewritten into a thin module, by text edits
// of the original (so every byte of what stays keeps its quotes, comments and layout):
// - every export that moves (same-object, rename, or under a same-object "*") loses its
//   declaration and is re-exported from the entry's canonical target: the canonical object itself;
// - manual and call-rewrite exports keep their implementation, `stays` and unlisted ones too;
// - top-level declarations and imports nothing kept uses any more go;
// - every deprecated export carries `@deprecated CODE: …` with the team's own hint: `unified-ws
//   migrate --manifest <its file>` for what the codemod moves, and the manifest's docs;
// - after the imports, one call of unified-ws's deprecatedModule() with the entry, generated from
//   the manifest, registers the team's code and reports each import of the module.

/** The package whose deprecation runtime a shim calls. */
export const RUNTIME_PACKAGE = 'unified-ws';
/** The runtime call a shim makes (src/deprecation/index.ts). */
export const RUNTIME_CALL = 'deprecatedModule';

/** A file `shim` cannot rewrite safely: nothing of its step is written. */
export class ShimRefusal extends Error {
  override name = 'ShimRefusal' as const;
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

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

export interface ShimFileResult {
  /** The file, relative to the repository root. */
  path: string;
  /** `already-shim`: it has the runtime call for this code, and is left alone. */
  status: 'shimmed' | 'already-shim';
  /** The new text (absent when the file is left alone). */
  output?: string;
  moved: MovedExport[];
  kept: KeptExport[];
  /** What the shim could not do, for people (a kept `export *`, a type export of a JS file). */
  notes: string[];
}

export interface ShimOptions {
  manifest: Manifest;
  entry: ManifestEntry;
  /** The installed version of a package, for the manifest's version conditions. */
  installedVersion?: (packageName: string) => string | undefined;
  /**
   * The repository root (`path` is relative to it): a file without relative imports of its own
   * takes its project's extension convention for the canonical target (projectExtensionStyle).
   */
  root?: string;
  /** The project conventions found so far in this run. */
  styles?: Map<string, ExtensionStyle>;
}

type Decision =
  | { kind: 'move'; exp: LegacyExport; canonical: string; typeOnly: boolean }
  | { kind: 'keep'; exp: LegacyExport | undefined; deprecated: boolean; reason?: string };

/** One exported name of the file, and where it comes from. */
interface ExportSite {
  name: string;
  /** The local binding, when the export names one of this file (not `export … from`). */
  local: string | undefined;
  statement: Statement;
  /** The specifier of an export list, or undefined for a declaration or `export default`. */
  specifier?: ExportSpecifier | Node;
  typeOnly: boolean;
  decision: Decision;
}

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
const TYPE_DECLARATIONS = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration']);
const KEEP_ALWAYS = /copyright|licen[cs]e|@preserve|^\/\*!/i;

/**
 * The shim of one legacy file of an entry: its new text, what moves and what stays. Throws a
 * ShimRefusal for what it cannot rewrite safely (a declaration that both moves and stays, `export
 * =`, a file that is already the shim of another code), and a ParseFailure for a file that does
 * not parse.
 */
export function shimModule(source: string, path: string, options: ShimOptions): ShimFileResult {
  const { manifest, entry } = options;
  const ast = parseSource(source, path);
  const body = ast.program.body;
  const comments = ast.comments ?? [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const refuse = (node: Node, message: string): never => {
    throw new ShimRefusal(path, lineOf(node.start ?? 0), message);
  };
  const shimOf = runtimeCallCode(body);
  if (shimOf === entry.code)
    return { path, status: 'already-shim', moved: [], kept: [], notes: [] };
  if (shimOf !== undefined)
    refuse(body[0] as Node, `already the shim of ${shimOf}, not of ${entry.code}`);

  const isJs = /\.[cm]?jsx?$/.test(extname(path));
  const texts: ManifestSource = {
    ...(manifest.docs === undefined ? {} : { docs: manifest.docs }),
    ...(manifest.file === undefined ? {} : { file: manifestFileIn(manifest.file, options.root) }),
  };
  const target = canonicalTargetOf(manifest, entry);
  const notes: string[] = [];
  const decide = (name: string, typeOnly: boolean): Decision => {
    const exp = exportFor(entry, name);
    if (!exp) return { kind: 'keep', exp, deprecated: false };
    if (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename')
      return { kind: 'keep', exp, deprecated: exp.rewrite !== 'stays' };
    const range = requiresOf(entry, exp);
    if (range !== undefined) {
      const installed =
        target.kind === 'package' && target.packageName !== undefined
          ? options.installedVersion?.(target.packageName)
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

  // Every export of the file, with the manifest's word on it.
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
      (body[0] ?? ast.program) as Node,
      'no export statements: shim rewrites ES modules (`export …`), not `module.exports`',
    );

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
  const isList = (site: ExportSite | undefined) => site?.specifier?.type === 'ExportSpecifier';
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
  const topLevel = topLevelNames(body);
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

  // What stays is what the kept code reaches: imports and declarations nothing kept uses go.
  const candidates = new Set<string>([...topLevel, ...declarers.keys()]);
  const references = collectReferences(ast.program, candidates);
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

  // The edits of the original text.
  const edits: TextEdit[] = [];
  const removals: { start: number; end: number }[] = [];
  const header = headerComments(source, body, comments);
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') {
      const kept = statement.specifiers.filter((s) => liveImports.has(s));
      if (statement.specifiers.length === 0 || kept.length === statement.specifiers.length)
        continue;
      if (kept.length === 0) removals.push(statementRange(source, statement, comments, header));
      else edits.push(importClause(source, statement, kept));
      continue;
    }
    if (removed.has(statement) || swept(statement))
      removals.push(statementRange(source, statement, comments, header));
  }
  const tagged = new Set<Node>();
  for (const [statement, list] of byStatement) {
    if (removed.has(statement)) continue;
    if (isList(list[0])) {
      const edit = exportList(source, statement as ExportNamedDeclaration, list, (site) =>
        tagOf(texts, entry, site),
      );
      if (edit === 'remove') removals.push(statementRange(source, statement, comments, header));
      else if (edit) edits.push(edit);
      continue;
    }
    const tags = list.map((site) => tagOf(texts, entry, site)).filter((t): t is string => !!t);
    if (tags.length === 0 || tagged.has(statement)) continue;
    tagged.add(statement);
    const edit = jsdocTag(source, statement, comments, [...new Set(tags)]);
    if (edit) edits.push(edit);
  }
  // Where the block goes: after the last import that stays, or where the file's content starts
  // (after its header comments); a placeholder marks it while the rest is edited.
  const removalEdits = mergeRemovals(source, removals);
  const importsStay = body.some(
    (s) =>
      s.type === 'ImportDeclaration' &&
      (s.specifiers.length === 0 || s.specifiers.some((x) => liveImports.has(x))),
  );
  let at = blockPosition(source, body, comments, header, liveImports);
  for (const removal of removalEdits)
    if (removal.start < at && at < removal.end) at = removal.start;
  let placeholder = '/*unified-ws shim*/';
  while (source.includes(placeholder)) placeholder = placeholder.replace('*/', '+*/');
  // First: before a tag or a removal at the same place.
  const text1 = applyEdits(source, [
    { start: at, end: at, text: placeholder },
    ...edits,
    ...removalEdits,
  ]);

  // What goes after the imports: bindings of replaced locals that kept code still uses, the
  // runtime call, and the re-exports.
  const style = styleOf(source, body);
  const q = (value: string) => quoted(value, style.quote);
  const semi = style.semicolons ? ';' : '';
  const ast1 = parseSource(text1, path);
  const names1 = topLevelNames(ast1.program.body);
  const extensionStyle =
    ownExtensionStyle(body) ??
    (options.root === undefined
      ? 'none'
      : projectExtensionStyle(join(options.root, path), options.root, options.styles));
  const from = q(
    canonicalSpecifierFrom(target, path, {
      extension: target.kind === 'file' ? specifierExtension(extensionStyle, target.path) : '',
    }),
  );
  let call = RUNTIME_CALL;
  for (let i = 2; names1.has(call); i++) call = `${RUNTIME_CALL}${i}`;
  const lines: string[] = [];
  const bindings = [...replaced].filter(([local]) => usedNames.has(local));
  for (const typeOnly of [false, true]) {
    const list = bindings.filter(([, b]) => b.typeOnly === typeOnly && !(isJs && typeOnly));
    if (list.length > 0)
      lines.push(
        `import ${typeOnly ? 'type ' : ''}{ ${list.map(([local, b]) => (b.canonical === local ? local : `${b.canonical} as ${local}`)).join(', ')} } from ${from}${semi}`,
      );
  }
  lines.push(
    `import { ${call === RUNTIME_CALL ? call : `${RUNTIME_CALL} as ${call}`} } from ${q(RUNTIME_PACKAGE)}${semi}`,
    '',
    `${call}(${literal(
      {
        package: manifest.package,
        canonical: canonicalOf(manifest, entry),
        ...(texts.file === undefined && texts.docs === undefined ? {} : { manifest: texts }),
        ...withoutCanonical(entryToJson(entry)),
      },
      style,
      0,
    )})${semi}`,
  );
  const moved: MovedExport[] = [];
  for (const site of sites)
    if (site.decision.kind === 'move' && !moved.some((m) => m.name === site.name))
      moved.push({
        name: site.name,
        canonical: site.decision.canonical,
        typeOnly: site.decision.typeOnly,
      });
  for (const typeOnly of [false, true]) {
    const list = moved.filter((m) => m.typeOnly === typeOnly);
    if (list.length === 0) continue;
    if (lines.at(-1) !== '' && !lines.at(-1)?.startsWith('export ')) lines.push('');
    const specifiers = list.map((m) => {
      const exp = exportFor(entry, m.name) as LegacyExport;
      return `${style.indent}/** ${jsdocText(teamDeprecatedTag(texts, entry, exp))} */\n${style.indent}${m.canonical === m.name ? m.name : `${m.canonical} as ${m.name}`},\n`;
    });
    lines.push(`export ${typeOnly ? 'type ' : ''}{\n${specifiers.join('')}} from ${from}${semi}`);
  }
  const output = placeBlock(text1, placeholder, `${lines.join('\n')}\n`, importsStay);
  parseSource(output, path); // a bug here must never reach a file
  const kept: KeptExport[] = [];
  for (const site of sites)
    if (site.decision.kind === 'keep' && !kept.some((k) => k.name === site.name))
      kept.push({
        name: site.name,
        rewrite: site.decision.exp?.rewrite ?? 'unlisted',
        ...(site.decision.reason === undefined ? {} : { reason: site.decision.reason }),
      });
  return { path, status: 'shimmed', output, moved, kept, notes };
}

/** The code of a shim's runtime call in a file (`deprecatedModule({ code: 'X', … })`), if any. */
export function runtimeCallCode(body: readonly Statement[]): string | undefined {
  const locals = new Set<string>();
  for (const statement of body)
    if (statement.type === 'ImportDeclaration' && statement.source.value === RUNTIME_PACKAGE)
      for (const s of statement.specifiers)
        if (
          s.type === 'ImportSpecifier' &&
          (s.imported.type === 'Identifier' ? s.imported.name : s.imported.value) === RUNTIME_CALL
        )
          locals.add(s.local.name);
  for (const statement of body) {
    if (statement.type !== 'ExpressionStatement') continue;
    const call = statement.expression;
    if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier') continue;
    if (!locals.has(call.callee.name)) continue;
    const [argument] = call.arguments;
    if (argument?.type !== 'ObjectExpression') continue;
    for (const property of (argument as ObjectExpression).properties)
      if (
        property.type === 'ObjectProperty' &&
        !property.computed &&
        ((property.key.type === 'Identifier' && property.key.name === 'code') ||
          (property.key.type === 'StringLiteral' && property.key.value === 'code')) &&
        property.value.type === 'StringLiteral'
      )
        return property.value.value;
  }
  return undefined;
}

/** The manifest file as the repository names it: its path from `root` where it lies inside. */
function manifestFileIn(file: string, root: string | undefined): string {
  if (root === undefined) return file.replace(/\\/g, '/');
  const inside = relative(root, resolve(file));
  return (
    inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : resolve(file)
  ).replace(/\\/g, '/');
}

function withoutCanonical<T extends { canonical?: string }>(value: T): Omit<T, 'canonical'> {
  const { canonical: _canonical, ...rest } = value;
  return rest;
}

/** The names a declaration (or a statement holding one) declares. */
function declaredNames(node: Node): string[] {
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

function declarationOf(node: Node): Node {
  return (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') &&
    node.declaration
    ? (node.declaration as Node)
    : node;
}

function isExported(statement: Node): boolean {
  return (
    statement.type === 'ExportNamedDeclaration' ||
    statement.type === 'ExportDefaultDeclaration' ||
    (statement.type === 'TSImportEqualsDeclaration' && statement.isExport)
  );
}

/** The @deprecated text of an export the shim keeps, or undefined when it takes none. */
function tagOf(source: ManifestSource, entry: ManifestEntry, site: ExportSite): string | undefined {
  const { decision } = site;
  if (decision.kind !== 'keep' || !decision.deprecated || !decision.exp) return undefined;
  return jsdocText(teamDeprecatedTag(source, entry, decision.exp));
}

/** Text that cannot end the comment it goes into. */
function jsdocText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

// ---------------------------------------------------------------------------------------------
// Comments and ranges

/** Comments at the top of the file that belong to no statement: a license, a file comment. */
function headerComments(
  source: string,
  body: readonly Statement[],
  comments: readonly Comment[],
): Set<Comment> {
  const first = body[0];
  const top = comments.filter((c) => first === undefined || (c.end ?? 0) <= (first.start ?? 0));
  const header = new Set<Comment>();
  let cursor = 0;
  for (const comment of top) {
    if (!/^(?:#![^\n]*\n)?\s*$/.test(source.slice(cursor, comment.start ?? 0))) break;
    header.add(comment);
    cursor = comment.end ?? 0;
  }
  // A doc comment right above the first declaration is that declaration's, not the file's.
  if (first && first.type !== 'ImportDeclaration') {
    const attached = ownComments(source, first, comments);
    for (const comment of attached)
      if (comment.type === 'CommentBlock' && comment.value.startsWith('*')) header.delete(comment);
  }
  return header;
}

/** The comments right above a statement (no blank line between them and it). */
function ownComments(source: string, statement: Node, comments: readonly Comment[]): Comment[] {
  const own: Comment[] = [];
  let start = statement.start ?? 0;
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i] as Comment;
    if ((comment.end ?? 0) > start) continue;
    const between = source.slice(comment.end ?? 0, start);
    if (!/^[ \t]*\r?\n?[ \t]*$/.test(between)) break;
    // A comment that ends another statement's line is that statement's.
    const lineStart = source.lastIndexOf('\n', (comment.start ?? 0) - 1) + 1;
    if (!/^\s*$/.test(source.slice(lineStart, comment.start ?? 0))) break;
    own.unshift(comment);
    start = comment.start ?? 0;
  }
  return own;
}

/**
 * The range a removed statement takes: its own comments above it (never the file's header nor a
 * license), the statement, a comment that ends its line, and its line break.
 */
function statementRange(
  source: string,
  statement: Node,
  comments: readonly Comment[],
  header: ReadonlySet<Comment>,
): { start: number; end: number } {
  const own = ownComments(source, statement, comments).filter(
    (c) => !header.has(c) && !KEEP_ALWAYS.test(`/*${c.value}`),
  );
  // Only a contiguous run right above the statement goes.
  let startComment: Comment | undefined;
  const all = ownComments(source, statement, comments);
  for (let i = all.length - 1; i >= 0 && own.includes(all[i] as Comment); i--)
    startComment = all[i];
  let start = startComment?.start ?? statement.start ?? 0;
  let end = statement.end ?? 0;
  const trailing = comments.find(
    (c) => (c.start ?? 0) >= end && /^[ \t]*$/.test(source.slice(end, c.start ?? 0)),
  );
  if (trailing) end = trailing.end ?? end;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const restOfLine = /^[ \t]*(?:\r?\n|$)/.exec(source.slice(end));
  if (/^[ \t]*$/.test(source.slice(lineStart, start)) && restOfLine) {
    start = lineStart;
    end += restOfLine[0].length;
  }
  return { start, end };
}

/**
 * Removals as edits: ranges that only white space separates become one, and a removal between
 * two blank lines (or at the top or the end of the file) takes one of them along, so no run of
 * blank lines is left behind.
 */
function mergeRemovals(source: string, ranges: { start: number; end: number }[]): TextEdit[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && /^\s*$/.test(source.slice(last.end, range.start)))
      last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  for (const range of merged) {
    const before = source.slice(0, range.start);
    const blankBefore = before === '' || /\n[ \t]*\r?\n$/.test(before) || /^\s*$/.test(before);
    const blanksAfter = /^(?:[ \t]*\r?\n)+/.exec(source.slice(range.end));
    if (/^\s*$/.test(source.slice(range.end))) {
      // The end of the file: the blank lines before the removal go, not the last line break.
      const trailing = /(?:\r?\n[ \t]*)+$/.exec(before);
      if (trailing && before.length > trailing[0].length)
        range.start -= trailing[0].length - (trailing[0].startsWith('\r') ? 2 : 1);
      range.end = source.length;
    } else if (blankBefore && blanksAfter) range.end += blanksAfter[0].length;
  }
  return merged.map((range) => ({ ...range, text: '' }));
}

/** The import declaration with only these specifiers (its quotes, attributes and `;` kept). */
function importClause(source: string, statement: ImportDeclaration, kept: Node[]): TextEdit {
  const text = (node: Node) => source.slice(node.start ?? 0, node.end ?? 0);
  const defaults = kept.filter((s) => s.type === 'ImportDefaultSpecifier').map(text);
  const namespace = kept.filter((s) => s.type === 'ImportNamespaceSpecifier').map(text);
  const named = kept.filter((s) => s.type === 'ImportSpecifier').map(text);
  const parts = [...defaults, ...namespace];
  if (named.length > 0) parts.push(`{ ${named.join(', ')} }`);
  const kind = statement.importKind === 'type' ? 'type ' : '';
  return {
    start: statement.start ?? 0,
    end: statement.source.start ?? 0,
    text: `import ${kind}${parts.join(', ')} from `,
  };
}

/**
 * An export list without the specifiers that move, each kept deprecated one with its tag (then
 * one per line, like the built-in shims); 'remove' when nothing is left of it.
 */
function exportList(
  source: string,
  statement: ExportNamedDeclaration,
  sites: ExportSite[],
  tag: (site: ExportSite) => string | undefined,
): TextEdit | 'remove' | undefined {
  const kept = sites.filter((s) => s.decision.kind !== 'move');
  const tags = kept.map(tag);
  if (kept.length === 0) return 'remove';
  if (kept.length === sites.length && tags.every((t) => t === undefined)) return undefined;
  const first = statement.specifiers[0] as Node;
  const last = statement.specifiers.at(-1) as Node;
  const open = source.lastIndexOf('{', first.start ?? 0);
  const close = /^(?:\s|,|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*\}/.exec(source.slice(last.end ?? 0));
  if (open < 0 || !close) return undefined;
  const text = (site: ExportSite) =>
    source.slice(site.specifier?.start ?? 0, site.specifier?.end ?? 0);
  const indent = /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', open) + 1))?.[0] ?? '';
  const inner = `${indent}  `;
  const list = tags.some((t) => t !== undefined)
    ? `{\n${kept
        .map((site, i) => `${tags[i] ? `${inner}/** ${tags[i]} */\n` : ''}${inner}${text(site)},\n`)
        .join('')}${indent}}`
    : `{ ${kept.map(text).join(', ')} }`;
  return { start: open, end: (last.end ?? 0) + close[0].length, text: list };
}

/** The `@deprecated` lines into the statement's doc comment, or a doc comment of its own. */
function jsdocTag(
  source: string,
  statement: Node,
  comments: readonly Comment[],
  tags: readonly string[],
): TextEdit | undefined {
  const doc = ownComments(source, statement, comments).at(-1);
  const lineStart = source.lastIndexOf('\n', (statement.start ?? 0) - 1) + 1;
  const atLineStart = /^[ \t]*$/.test(source.slice(lineStart, statement.start ?? 0));
  const indent = atLineStart ? source.slice(lineStart, statement.start ?? 0) : '';
  const lines = (docIndent: string) => tags.map((tag) => `${docIndent} * ${tag}\n`).join('');
  if (!doc || doc.type !== 'CommentBlock' || !doc.value.startsWith('*')) {
    const comment =
      tags.length === 1 ? `/** ${tags[0]} */\n` : `/**\n${lines(indent)}${indent} */\n`;
    return atLineStart
      ? { start: lineStart, end: lineStart, text: `${indent}${comment}` }
      : { start: statement.start ?? 0, end: statement.start ?? 0, text: comment };
  }
  if (/@deprecated\b/.test(doc.value)) return undefined;
  const start = doc.start ?? 0;
  const end = doc.end ?? 0;
  const docIndent =
    /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', start - 1) + 1))?.[0] ?? '';
  if (!doc.value.includes('\n'))
    return {
      start,
      end,
      text: `/**\n${docIndent} * ${doc.value.slice(1).trim()}\n${lines(docIndent)}${docIndent} */`,
    };
  const closing = end - 2;
  const closingLine = source.lastIndexOf('\n', closing) + 1;
  if (/^[ \t]*$/.test(source.slice(closingLine, closing)))
    return { start: closingLine, end: closingLine, text: lines(docIndent) };
  return { start: closing, end: closing, text: `\n${lines(docIndent)}${docIndent} ` };
}

/**
 * Where the block of a shim goes in the original text: the line after the last import that stays,
 * or, without one, the line where the file's content starts (after its header comments).
 */
function blockPosition(
  source: string,
  body: readonly Statement[],
  comments: readonly Comment[],
  header: ReadonlySet<Comment>,
  liveImports: ReadonlySet<Node>,
): number {
  const last = body
    .filter(
      (s): s is ImportDeclaration =>
        s.type === 'ImportDeclaration' &&
        (s.specifiers.length === 0 || s.specifiers.some((x) => liveImports.has(x))),
    )
    .at(-1);
  if (last) {
    let end = last.end ?? 0;
    const trailing = comments.find(
      (c) => (c.start ?? 0) >= end && /^[ \t]*$/.test(source.slice(end, c.start ?? 0)),
    );
    if (trailing) end = trailing.end ?? end;
    const lineEnd = source.indexOf('\n', end);
    return lineEnd < 0 ? source.length : lineEnd + 1;
  }
  const starts = [
    ...(body[0] ? [body[0].start ?? 0] : []),
    ...comments.filter((c) => !header.has(c)).map((c) => c.start ?? 0),
  ];
  if (starts.length === 0) return source.length;
  return source.lastIndexOf('\n', Math.min(...starts) - 1) + 1;
}

/**
 * The block in place of the placeholder: right after the imports, or one blank line after the
 * header; one blank line after it where more follows. The blank lines around are the block's.
 */
function placeBlock(
  text: string,
  placeholder: string,
  block: string,
  afterImports: boolean,
): string {
  const at = text.indexOf(placeholder);
  let before = text.slice(0, at);
  const after = text.slice(at + placeholder.length).replace(/^(?:[ \t]*\r?\n)+/, '');
  if (/^\s*$/.test(before)) before = '';
  else {
    before = before.replace(/(?:\r?\n[ \t]*)+$/, '\n');
    if (!before.endsWith('\n')) before += '\n';
    if (!afterImports) before += '\n';
  }
  return `${before}${block}${after.trim() === '' ? '' : `\n${after}`}`;
}

// ---------------------------------------------------------------------------------------------
// The file's style, and the entry as a literal in it

interface Style {
  quote: "'" | '"';
  semicolons: boolean;
  indent: string;
}

function styleOf(source: string, body: readonly Statement[]): Style {
  const literal = body.find(
    (s) =>
      (s.type === 'ImportDeclaration' ||
        s.type === 'ExportNamedDeclaration' ||
        s.type === 'ExportAllDeclaration') &&
      s.source,
  ) as ImportDeclaration | undefined;
  const quote = literal ? source[literal.source.start ?? 0] : /['"]/.exec(source)?.[0];
  const statement = body.find(
    (s) =>
      s.type === 'ImportDeclaration' ||
      s.type === 'ExpressionStatement' ||
      s.type === 'VariableDeclaration' ||
      (s.type === 'ExportNamedDeclaration' &&
        (!s.declaration || s.declaration.type === 'VariableDeclaration')),
  );
  const indent = /^([ \t]+)\S/m.exec(source)?.[1];
  return {
    quote: quote === '"' ? '"' : "'",
    semicolons: statement ? source[(statement.end ?? 1) - 1] === ';' : true,
    indent:
      indent === undefined
        ? '  '
        : indent.startsWith('\t')
          ? '\t'
          : indent.length >= 4
            ? '    '
            : '  ',
  };
}

/** A string literal in the file's quotes, or the other ones where that takes fewer escapes. */
function quoted(value: string, preferred: "'" | '"'): string {
  const other = preferred === "'" ? '"' : "'";
  const count = (q: string) => value.split(q).length - 1;
  const quote = count(preferred) > count(other) ? other : preferred;
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

const LINE_WIDTH = 100;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A JSON value as a literal: on one line where it fits, else one property or item per line. */
function literal(value: unknown, style: Style, level: number): string {
  if (typeof value === 'string') return quoted(value, style.quote);
  if (typeof value !== 'object' || value === null) return String(value);
  const pad = style.indent.repeat(level + 1);
  const parts: string[] = Array.isArray(value)
    ? value.map((item) => literal(item, style, level + 1))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(
          ([key, v]) =>
            `${IDENTIFIER.test(key) ? key : quoted(key, style.quote)}: ${literal(v, style, level + 1)}`,
        );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }'];
  const inline =
    parts.length === 0
      ? Array.isArray(value)
        ? '[]'
        : '{}'
      : `${open}${parts.join(', ')}${close}`;
  if (level > 0 && !inline.includes('\n') && pad.length + inline.length + 2 <= LINE_WIDTH)
    return inline;
  const [start, end] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${start}\n${parts.map((p) => `${pad}${p},\n`).join('')}${style.indent.repeat(level)}${end}`;
}
