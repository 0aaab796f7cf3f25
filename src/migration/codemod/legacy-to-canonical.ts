import type {
  CallExpression,
  ExportAllDeclaration,
  ExportNamedDeclaration,
  File,
  ImportDeclaration,
  Node,
  StringLiteral,
} from '@babel/types';
import { replacementSummary } from '../../manifest/render';
import type { LegacyExport, ManifestEntry } from '../../manifest/types';
import { applyEdits, keepOnly, lineRange } from './edits';
import type { ModuleResolver } from './module-resolver';
import { parseOrReport, parseSource, ParseFailure } from './parse';
import {
  RewriteContext,
  specifierKey,
  specifierText,
  type AddedSpecifier,
  type ImportTarget,
  type MarkerReport,
} from './rewrite-context';
import { collectReferences, topLevelNames, type Reference } from './scope';
import { walk } from './walk';

export type FileStatus = 'changed' | 'unchanged' | 'marker' | 'parse-error';

/** The outcome for one file, with a reason code the runner reports. */
export interface FileResult {
  status: FileStatus;
  output: string;
  /** Deprecation codes whose uses were rewritten. */
  codes: string[];
  markers: MarkerReport[];
  error?: { line: number; column: number; message: string };
}

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
interface Site {
  kind:
    | 'import'
    | 'export-named'
    | 'export-all'
    | 'require'
    | 'require-resolve'
    | 'dynamic-import'
    | 'mock'
    | 'import-type'
    | 'declare-module';
  node: Node;
  literal: StringLiteral;
  ancestors: Node[];
}

function stringArgument(call: CallExpression): StringLiteral | undefined {
  const first = call.arguments[0];
  return first?.type === 'StringLiteral' ? first : undefined;
}

/** Finds every specifier position of the import forms consumer code uses. */
export function findSites(ast: File): Site[] {
  const sites: Site[] = [];
  walk(ast.program, (node, ancestors) => {
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
function statementOf(site: Site): Node {
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

const exportOf = (entry: ManifestEntry, name: string): LegacyExport | undefined =>
  entry.exports.find((e) => e.name === name);
const allSameObject = (entry: ManifestEntry): boolean =>
  entry.exports.every((e) => e.rewrite === 'same-object');

/** Legacy → canonical for one file. Unchanged bytes stay unchanged; see FileResult for the outcome. */
export function legacyToCanonical(
  source: string,
  filePath: string,
  resolver: ModuleResolver,
): FileResult {
  const unchanged: FileResult = { status: 'unchanged', output: source, codes: [], markers: [] };
  if (!resolver.needles.some((needle) => source.includes(needle))) return unchanged;
  const ast = parseOrReport(source, filePath);
  if ('status' in ast) return ast;
  const sites = findSites(ast);
  const legacy = sites
    .map((site) => ({ site, entry: resolver.resolve(site.literal.value, filePath) }))
    .filter((s): s is { site: Site; entry: ManifestEntry } => s.entry !== undefined);
  if (legacy.length === 0) return unchanged;

  const context = new RewriteContext(
    source,
    ast,
    resolver.manifest.canonical,
    topLevelNames(ast.program.body),
  );
  const rewriter = new LegacyRewriter(context, ast);
  for (const site of sites) {
    if (site.kind === 'import' && resolver.isCanonical(site.literal.value))
      rewriter.adoptTarget(site.node as ImportDeclaration);
  }
  for (const { site, entry } of legacy) rewriter.rewrite(site, entry);
  rewriter.flushTargets();

  const output = applyEdits(source, context.edits);
  if (output === source) return { ...unchanged, markers: context.markers };
  try {
    parseSource(output, filePath);
  } catch (error) {
    // Never write what does not parse: report it, leave the file as it was.
    const failure = error as ParseFailure;
    return {
      ...unchanged,
      status: 'parse-error',
      error: {
        line: failure.line,
        column: failure.column,
        message: `the rewrite would not parse (a bug): ${failure.message}`,
      },
    };
  }
  return {
    status: context.codes.size > 0 ? 'changed' : 'marker',
    output,
    codes: [...context.codes].sort(),
    markers: context.markers,
  };
}

/** Applies the manifest's rewrites to each site of one file. */
class LegacyRewriter {
  private references: Map<string, Reference[]> | undefined;
  /** Canonical imports to create after a legacy declaration that stays (partly) on its shim. */
  private readonly created = new Map<Node, { literal: StringLiteral; specs: AddedSpecifier[] }>();

  constructor(
    private readonly context: RewriteContext,
    private readonly ast: File,
  ) {}

  /** An existing canonical import: new specifiers merge into it. */
  adoptTarget(node: ImportDeclaration): void {
    if (node.specifiers.some((s) => s.type !== 'ImportSpecifier')) return;
    const kind = node.importKind === 'type' ? 'type' : 'value';
    if (this.context.targets[kind]) return;
    const holds = new Set<string>();
    for (const s of node.specifiers) {
      if (s.type !== 'ImportSpecifier') continue;
      const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
      holds.add(specifierKey(imported, s.local.name, kind === 'type' || s.importKind === 'type'));
    }
    this.context.targets[kind] = { node, holds, appended: [] };
  }

  rewrite(site: Site, entry: ManifestEntry): void {
    switch (site.kind) {
      case 'import':
        return this.importDeclaration(site, site.node as ImportDeclaration, entry);
      case 'export-named':
        return this.exportNamed(site, site.node as ExportNamedDeclaration, entry);
      case 'export-all':
        return this.exportAll(site, site.node as ExportAllDeclaration, entry);
      case 'require':
        return this.requireCall(site, entry);
      case 'require-resolve':
        return this.retarget(site, entry);
      case 'dynamic-import':
      case 'mock':
      case 'declare-module':
        return allSameObject(entry)
          ? this.retarget(site, entry)
          : this.context.mark(
              entry,
              statementOf(site),
              `${this.shape(site)} of ${site.literal.value} needs its names mapped by hand (${replacementSummary(entry)}); left on its shim`,
            );
      case 'import-type':
        return this.importType(site, entry);
    }
  }

  /** Writes the canonical imports that could not go into an existing declaration. */
  flushTargets(): void {
    for (const [kind, target] of Object.entries(this.context.targets) as [
      'value' | 'type',
      ImportTarget,
    ][]) {
      if (target.appended.length > 0) this.append(target, kind === 'type');
    }
    for (const [statement, { literal, specs }] of this.created) {
      const values = specs.filter((s) => !s.typeOnly);
      const types = specs.filter((s) => s.typeOnly);
      const quote = this.context.quoteOf(literal);
      const semi = this.context.source[(statement.end ?? 1) - 1] === ';' ? ';' : '';
      const lines: string[] = [];
      if (values.length > 0)
        lines.push(
          `import { ${[...values.map((s) => specifierText(s, false)), ...types.map((s) => specifierText(s, true))].join(', ')} } from ${quote}${this.context.canonical}${quote}${semi}`,
        );
      else
        lines.push(
          `import type { ${types.map((s) => specifierText(s, false)).join(', ')} } from ${quote}${this.context.canonical}${quote}${semi}`,
        );
      this.context.edit(statement.end ?? 0, statement.end ?? 0, `\n${lines.join('\n')}`);
    }
  }

  private refs(name: string): Reference[] {
    if (!this.references) {
      const names = new Set<string>();
      walk(this.ast.program, (node) => {
        if (node.type === 'Identifier' || node.type === 'JSXIdentifier') names.add(node.name);
      });
      this.references = collectReferences(this.ast.program, names);
    }
    return this.references.get(name) ?? [];
  }

  private retarget(site: Site, entry: ManifestEntry): void {
    this.context.replaceLiteral(site.literal, this.context.canonical);
    this.context.codes.add(entry.code);
  }

  private shape(site: Site): string {
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
    }[site.kind];
  }

  /** A local name for a canonical import that no other binding of the file uses. */
  private localFor(name: string, typeOnly: boolean): string {
    const value = this.context.targets.value;
    const held = [...(value?.holds ?? []), ...(this.context.targets.type?.holds ?? [])];
    if (
      held.includes(specifierKey(name, name, typeOnly)) ||
      held.includes(specifierKey(name, name, !typeOnly))
    )
      return name;
    if (!this.context.topLevel.has(name)) return name;
    let candidate = `${name}Canonical`;
    for (let i = 2; this.context.topLevel.has(candidate); i++) candidate = `${name}Canonical${i}`;
    return candidate;
  }

  /**
   * Rewrites every use of a call-rewrite binding, or none: each reference must match the
   * export's `calls` (a value use, a call, or a known method call). Returns the canonical import
   * to add, or the reason it cannot.
   */
  private callRewrite(
    local: string,
    exp: LegacyExport,
    entry: ManifestEntry,
  ): AddedSpecifier | null | string {
    const calls = exp.calls;
    if (!calls) return `${exp.name} has no statically safe rewrite (${exp.replacement})`;
    const importLocal = this.localFor(calls.import, false);
    const fill = (template: string) => template.replaceAll('{import}', importLocal);
    if (calls.instance) return this.instanceRewrite(local, exp, entry, calls.instance, importLocal);
    const edits: [number, number, string][] = [];
    for (const ref of this.refs(local)) {
      const parent = ref.ancestors.at(-1);
      const grand = ref.ancestors.at(-2);
      if (parent?.type === 'CallExpression' && parent.callee === ref.node && calls.call) {
        edits.push([ref.node.start ?? 0, ref.node.end ?? 0, fill(calls.call)]);
      } else if (
        parent?.type === 'MemberExpression' &&
        parent.object === ref.node &&
        !parent.computed &&
        parent.property.type === 'Identifier' &&
        calls.members?.[parent.property.name] &&
        grand?.type === 'CallExpression' &&
        grand.callee === parent
      ) {
        edits.push([
          parent.start ?? 0,
          parent.end ?? 0,
          fill(calls.members[parent.property.name] as string),
        ]);
      } else if (
        calls.value &&
        parent?.type !== 'TSTypeQuery' &&
        parent?.type !== 'TSQualifiedName' &&
        parent?.type !== 'TSTypeReference' &&
        parent?.type !== 'ExportSpecifier'
      ) {
        edits.push([ref.node.start ?? 0, ref.node.end ?? 0, fill(calls.value)]);
      } else {
        return `${this.context.text(parent ?? ref.node)} (line ${this.context.lineOf(ref.node.start ?? 0)}) has no safe rewrite to ${exp.replacement}`;
      }
    }
    for (const [start, end, text] of edits) this.context.edit(start, end, text);
    this.context.codes.add(entry.code);
    return { imported: calls.import, local: importLocal, typeOnly: false };
  }

  /**
   * Instances whose receiver is statically known: each `new X(arg?)` must initialise a top-level
   * `const` whose every use is a listed method call. Those calls move to the receiver (the argument
   * when it is a plain name, else the default manager) and the declarations go. Returns the import
   * to add, null when none is needed, or the reason it cannot.
   */
  private instanceRewrite(
    local: string,
    exp: LegacyExport,
    entry: ManifestEntry,
    methods: Readonly<Record<string, string>>,
    importLocal: string,
  ): AddedSpecifier | null | string {
    const edits: [number, number, string][] = [];
    let needsImport = false;
    const refuse = (node: Node) =>
      `${this.context.text(node)} (line ${this.context.lineOf(node.start ?? 0)}) has no safe rewrite to ${exp.replacement}`;
    for (const ref of this.refs(local)) {
      const created = ref.ancestors.at(-1);
      const declarator = ref.ancestors.at(-2);
      const declaration = ref.ancestors.at(-3);
      const program = ref.ancestors.at(-4);
      if (
        created?.type !== 'NewExpression' ||
        created.callee !== ref.node ||
        created.arguments.length > 1 ||
        declarator?.type !== 'VariableDeclarator' ||
        declarator.init !== created ||
        declarator.id.type !== 'Identifier' ||
        declaration?.type !== 'VariableDeclaration' ||
        declaration.kind !== 'const' ||
        declaration.declarations.length !== 1 ||
        program?.type !== 'Program'
      ) {
        return refuse(created ?? ref.node);
      }
      const argument = created.arguments[0];
      if (argument && argument.type !== 'Identifier') return refuse(created);
      const receiver = argument ? argument.name : `${importLocal}()`;
      needsImport ||= !argument;
      for (const use of this.refs(declarator.id.name)) {
        const member = use.ancestors.at(-1);
        const call = use.ancestors.at(-2);
        const template =
          member?.type === 'MemberExpression' &&
          !member.computed &&
          member.property.type === 'Identifier'
            ? methods[member.property.name]
            : undefined;
        if (
          !template ||
          member?.type !== 'MemberExpression' ||
          call?.type !== 'CallExpression' ||
          call.callee !== member
        )
          return refuse(member ?? use.node);
        edits.push([
          member.start ?? 0,
          member.end ?? 0,
          template.replaceAll('{receiver}', receiver),
        ]);
      }
      const range = lineRange(this.context.source, declaration.start ?? 0, declaration.end ?? 0);
      edits.push([range.start, range.end, '']);
    }
    for (const [start, end, text] of edits) this.context.edit(start, end, text);
    this.context.codes.add(entry.code);
    return needsImport
      ? { imported: exp.calls?.import ?? '', local: importLocal, typeOnly: false }
      : null;
  }

  /** The canonical specifier for a same-object or rename import, keeping the smaller diff. */
  private renamed(
    exp: LegacyExport,
    local: string,
    aliased: boolean,
    typeOnly: boolean,
    declaration: Node,
  ): AddedSpecifier {
    const canonical = exp.canonical ?? exp.name;
    if (aliased || canonical === local) return { imported: canonical, local, typeOnly };
    // Renaming the binding is the smaller diff only when no use of it lies outside the import.
    const outside = this.refs(local).filter(
      (r) =>
        (r.node.start ?? 0) < (declaration.start ?? 0) ||
        (r.node.start ?? 0) >= (declaration.end ?? 0),
    );
    if (outside.length === 0 && !this.context.topLevel.has(canonical))
      return { imported: canonical, local: canonical, typeOnly };
    return { imported: canonical, local, typeOnly };
  }

  private importDeclaration(site: Site, node: ImportDeclaration, entry: ManifestEntry): void {
    const statement = statementOf(site);
    if (node.specifiers.length === 0) return this.retarget(site, entry);
    const first = node.specifiers[0];
    if (first && first.type !== 'ImportSpecifier') {
      // import * as ns / import ns (default) / import ns, { … }
      if (node.specifiers.length > 1)
        return this.context.mark(
          entry,
          statement,
          `a default import with named imports of ${site.literal.value}: migrate by hand (${replacementSummary(entry)})`,
        );
      const problem = this.namespaceUses(first.local.name, entry);
      if (problem) return this.context.mark(entry, statement, problem);
      return this.retarget(site, entry);
    }
    const declarationType = node.importKind === 'type';
    const migrated: { spec: Node; add: AddedSpecifier | null }[] = [];
    const stayed: Node[] = [];
    for (const spec of node.specifiers) {
      if (spec.type !== 'ImportSpecifier') continue;
      const imported =
        spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
      const local = spec.local.name;
      const typeOnly = declarationType || spec.importKind === 'type';
      const exp = exportOf(entry, imported);
      if (!exp) {
        stayed.push(spec);
        this.context.mark(
          entry,
          statement,
          `${imported} is not an export of ${site.literal.value}; left on its shim`,
        );
      } else if (exp.rewrite === 'same-object' || exp.rewrite === 'rename') {
        migrated.push({ spec, add: this.renamed(exp, local, imported !== local, typeOnly, node) });
        this.context.codes.add(entry.code);
      } else if (exp.rewrite === 'call-rewrite' && !typeOnly) {
        const result = this.callRewrite(local, exp, entry);
        if (typeof result === 'string') {
          stayed.push(spec);
          this.context.mark(entry, statement, result);
        } else {
          migrated.push({ spec, add: result });
        }
      } else {
        stayed.push(spec);
        this.context.mark(
          entry,
          statement,
          `${imported} has no safe automatic rewrite: ${exp.replacement}`,
        );
      }
    }
    if (migrated.length === 0) return;
    const kind = declarationType ? 'type' : 'value';
    if (stayed.length === 0 && !this.context.targets[kind]) {
      // The declaration itself becomes the canonical import: the smallest diff.
      this.context.replaceLiteral(site.literal, this.context.canonical);
      const holds = new Set<string>();
      const kept = new Set<Node>();
      const texts = new Map<Node, string>();
      for (const { spec, add } of migrated) {
        if (!add) continue; // its uses were rewritten and need no import
        const key = specifierKey(add.imported, add.local, add.typeOnly);
        if (holds.has(key)) continue; // a duplicate once mapped: dropped
        holds.add(key);
        kept.add(spec);
        texts.set(spec, specifierText(add, !declarationType && add.typeOnly));
      }
      if (kept.size === 0) {
        const range = lineRange(this.context.source, node.start ?? 0, node.end ?? 0);
        this.context.edit(range.start, range.end, '');
        return;
      }
      if (kept.size < migrated.length) {
        // Rewrite the list as one edit so the dropped duplicate's comma never collides.
        const list = keepOnly(this.context.source, node.specifiers, kept);
        const separator = this.context.source.slice(
          node.specifiers[0]?.end ?? 0,
          node.specifiers[1]?.start ?? 0,
        );
        list.text = [...kept].map((spec) => texts.get(spec) as string).join(separator);
        this.context.edits.push(list);
      } else {
        for (const [spec, text] of texts)
          if (text !== this.context.text(spec))
            this.context.edit(spec.start ?? 0, spec.end ?? 0, text);
      }
      this.context.targets[kind] = { node, holds, appended: [] };
      return;
    }
    if (stayed.length > 0)
      this.context.edits.push(keepOnly(this.context.source, node.specifiers, new Set(stayed)));
    for (const { add } of migrated) if (add) this.addSpecifier(add, statement, site.literal);
    if (stayed.length === 0) {
      const range = lineRange(this.context.source, node.start ?? 0, node.end ?? 0);
      this.context.edit(range.start, range.end, '');
    }
  }

  /** Adds a specifier to the canonical import of its kind, or to one created after `statement`. */
  private addSpecifier(add: AddedSpecifier, statement: Node, literal: StringLiteral): void {
    const target =
      (add.typeOnly ? this.context.targets.type : undefined) ?? this.context.targets.value;
    const key = specifierKey(add.imported, add.local, add.typeOnly);
    if (target) {
      if (
        !target.holds.has(key) &&
        !target.holds.has(specifierKey(add.imported, add.local, !add.typeOnly))
      ) {
        target.holds.add(key);
        target.appended.push(add);
      }
      return;
    }
    const created = this.created.get(statement) ?? { literal, specs: [] };
    if (!created.specs.some((s) => specifierKey(s.imported, s.local, s.typeOnly) === key))
      created.specs.push(add);
    this.created.set(statement, created);
  }

  /** Inserts appended specifiers after the last one, in the declaration's own layout. */
  private append(target: ImportTarget, typeTarget: boolean): void {
    const node = target.node;
    const last = node.specifiers.at(-1);
    const texts = target.appended.map((s) => specifierText(s, !typeTarget && s.typeOnly));
    if (!last) return;
    const source = this.context.source;
    const close = source.indexOf('}', last.end ?? 0);
    const between = source.slice(last.end ?? 0, close);
    const trailingComma = between.includes(',');
    if (between.includes('\n')) {
      // One specifier per line: follow the layout, and the trailing comma if there is one.
      const indent =
        /\n([ \t]*)[^\n]*$/.exec(source.slice(node.start ?? 0, last.start ?? 0))?.[1] ?? '  ';
      if (trailingComma) {
        const at = (last.end ?? 0) + between.indexOf(',') + 1;
        this.context.edit(at, at, texts.map((t) => `\n${indent}${t},`).join(''));
      } else {
        this.context.edit(
          last.end ?? 0,
          last.end ?? 0,
          texts.map((t) => `,\n${indent}${t}`).join(''),
        );
      }
    } else {
      this.context.edit(last.end ?? 0, last.end ?? 0, texts.map((t) => `, ${t}`).join(''));
    }
  }

  /**
   * Checks (and rewrites) every use of a namespace-like binding (`ns.X`): members that are the
   * same object stay, renamed members are renamed, call-rewrite members are rewritten. Returns
   * the reason when one use cannot be.
   */
  private namespaceUses(local: string, entry: ManifestEntry): string | undefined {
    const edits: [number, number, string][] = [];
    for (const ref of this.refs(local)) {
      const parent = ref.ancestors.at(-1);
      const member =
        parent?.type === 'MemberExpression' &&
        parent.object === ref.node &&
        !parent.computed &&
        parent.property.type === 'Identifier'
          ? parent.property
          : parent?.type === 'TSQualifiedName' && parent.left === ref.node
            ? parent.right
            : undefined;
      if (!member)
        return `${local} is used as a whole (line ${this.context.lineOf(ref.node.start ?? 0)}), not only as ${local}.X; migrate by hand`;
      const exp = exportOf(entry, member.name);
      if (!exp)
        return `${local}.${member.name} is not an export of the legacy module; left on its shim`;
      if (exp.rewrite === 'same-object') continue;
      if (exp.rewrite === 'rename') {
        edits.push([member.start ?? 0, member.end ?? 0, exp.canonical ?? exp.name]);
        continue;
      }
      const calls = exp.calls;
      const grand = ref.ancestors.at(-2);
      const great = ref.ancestors.at(-3);
      const prefix = `${local}.`;
      if (exp.rewrite === 'call-rewrite' && calls && parent?.type === 'MemberExpression') {
        const fill = (template: string) =>
          template.replaceAll('{import}', `${prefix}${calls.import}`);
        if (grand?.type === 'CallExpression' && grand.callee === parent && calls.call) {
          edits.push([parent.start ?? 0, parent.end ?? 0, fill(calls.call)]);
          continue;
        }
        if (
          grand?.type === 'MemberExpression' &&
          grand.object === parent &&
          !grand.computed &&
          grand.property.type === 'Identifier' &&
          calls.members?.[grand.property.name] &&
          great?.type === 'CallExpression' &&
          great.callee === grand
        ) {
          edits.push([
            grand.start ?? 0,
            grand.end ?? 0,
            fill(calls.members[grand.property.name] as string),
          ]);
          continue;
        }
        if (calls.value) {
          edits.push([parent.start ?? 0, parent.end ?? 0, fill(calls.value)]);
          continue;
        }
      }
      return `${local}.${member.name} has no safe automatic rewrite: ${exp.replacement}`;
    }
    for (const [start, end, text] of edits) this.context.edit(start, end, text);
    return undefined;
  }

  private exportNamed(site: Site, node: ExportNamedDeclaration, entry: ManifestEntry): void {
    const statement = statementOf(site);
    const texts: [Node, string][] = [];
    for (const spec of node.specifiers) {
      if (spec.type === 'ExportNamespaceSpecifier') {
        if (!allSameObject(entry))
          return this.context.mark(
            entry,
            statement,
            `export * as ${spec.exported.name} re-exports names that differ in ${this.context.canonical}; migrate by hand`,
          );
        continue;
      }
      if (spec.type !== 'ExportSpecifier')
        return this.context.mark(entry, statement, 'an unusual re-export; migrate by hand');
      const local = spec.local.name;
      const exported =
        spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value;
      const exp = exportOf(entry, local);
      if (!exp)
        return this.context.mark(
          entry,
          statement,
          `${local} is not an export of ${site.literal.value}; left on its shim`,
        );
      if (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename') {
        return this.context.mark(
          entry,
          statement,
          `re-exporting ${local} keeps its legacy shape; export the canonical API instead (${exp.replacement})`,
        );
      }
      const canonical = exp.canonical ?? exp.name;
      const typePrefix = spec.exportKind === 'type' ? 'type ' : '';
      texts.push([
        spec,
        `${typePrefix}${canonical === exported ? canonical : `${canonical} as ${exported}`}`,
      ]);
    }
    for (const [spec, text] of texts)
      if (text !== this.context.text(spec)) this.context.edit(spec.start ?? 0, spec.end ?? 0, text);
    this.retarget(site, entry);
  }

  /** `export * from legacy` becomes an explicit list of what the legacy module really provided. */
  private exportAll(site: Site, node: ExportAllDeclaration, entry: ManifestEntry): void {
    if (!entry.exports.every((e) => e.rewrite === 'same-object' || e.rewrite === 'rename')) {
      return this.context.mark(
        entry,
        statementOf(site),
        `export * of ${site.literal.value} includes names without a canonical equal (${replacementSummary(entry)}); list them by hand`,
      );
    }
    const typeOnly = node.exportKind === 'type';
    const names = entry.exports.map((e) => {
      const canonical = e.canonical ?? e.name;
      const name = canonical === e.name ? canonical : `${canonical} as ${e.name}`;
      return e.typeOnly && !typeOnly ? `type ${name}` : name;
    });
    const quote = this.context.quoteOf(site.literal);
    const semi = this.context.source[(node.end ?? 1) - 1] === ';' ? ';' : '';
    this.context.edit(
      node.start ?? 0,
      node.end ?? 0,
      `export ${typeOnly ? 'type ' : ''}{ ${names.join(', ')} } from ${quote}${this.context.canonical}${quote}${semi}`,
    );
    this.context.codes.add(entry.code);
  }

  private requireCall(site: Site, entry: ManifestEntry): void {
    const statement = statementOf(site);
    const parent = site.ancestors.at(-1);
    if (parent?.type === 'ExpressionStatement') return this.retarget(site, entry);
    if (
      parent?.type === 'MemberExpression' &&
      parent.object === site.node &&
      !parent.computed &&
      parent.property.type === 'Identifier'
    ) {
      const exp = exportOf(entry, parent.property.name);
      if (exp && (exp.rewrite === 'same-object' || exp.rewrite === 'rename')) {
        if (exp.rewrite === 'rename')
          this.context.edit(
            parent.property.start ?? 0,
            parent.property.end ?? 0,
            exp.canonical ?? exp.name,
          );
        return this.retarget(site, entry);
      }
    }
    if (parent?.type === 'VariableDeclarator' && parent.init === site.node) {
      if (parent.id.type === 'Identifier') {
        const problem = this.namespaceUses(parent.id.name, entry);
        return problem ? this.context.mark(entry, statement, problem) : this.retarget(site, entry);
      }
      if (parent.id.type === 'ObjectPattern') {
        const edits: [number, number, string][] = [];
        for (const property of parent.id.properties) {
          if (
            property.type !== 'ObjectProperty' ||
            property.computed ||
            property.key.type !== 'Identifier'
          ) {
            return this.context.mark(
              entry,
              statement,
              `a destructuring of ${site.literal.value} the codemod cannot map; migrate by hand`,
            );
          }
          const exp = exportOf(entry, property.key.name);
          if (!exp || (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename')) {
            return this.context.mark(
              entry,
              statement,
              exp
                ? `${exp.name} has no safe automatic rewrite: ${exp.replacement}`
                : `${property.key.name} is not an export of ${site.literal.value}`,
            );
          }
          if (exp.rewrite === 'rename') {
            const canonical = exp.canonical ?? exp.name;
            // `{ Legacy }` → `{ Canonical: Legacy }` keeps the local binding; `{ Legacy: x }` → `{ Canonical: x }`.
            if (property.shorthand)
              edits.push([
                property.start ?? 0,
                property.end ?? 0,
                `${canonical}: ${property.key.name}`,
              ]);
            else edits.push([property.key.start ?? 0, property.key.end ?? 0, canonical]);
          }
        }
        for (const [start, end, text] of edits) this.context.edit(start, end, text);
        return this.retarget(site, entry);
      }
    }
    if (allSameObject(entry)) return this.retarget(site, entry);
    this.context.mark(
      entry,
      statement,
      `a require() of ${site.literal.value} the codemod cannot map (${replacementSummary(entry)}); migrate by hand`,
    );
  }

  /** `import('legacy').X` in a type: the qualifier is mapped; a bare one needs same-object names. */
  private importType(site: Site, entry: ManifestEntry): void {
    const node = site.node as Node & { qualifier?: Node | null };
    const qualifier = node.qualifier;
    const first =
      qualifier?.type === 'Identifier'
        ? qualifier
        : qualifier?.type === 'TSQualifiedName'
          ? leftmost(qualifier)
          : undefined;
    if (!first) {
      if (allSameObject(entry)) return this.retarget(site, entry);
      return this.context.mark(
        entry,
        statementOf(site),
        `typeof import() of ${site.literal.value} names members that differ in ${this.context.canonical}; migrate by hand`,
      );
    }
    const exp = exportOf(entry, (first as { name: string }).name);
    if (!exp || (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename')) {
      return this.context.mark(
        entry,
        statementOf(site),
        `import(${site.literal.value}).${(first as { name: string }).name} has no canonical equal; migrate by hand`,
      );
    }
    if (exp.rewrite === 'rename')
      this.context.edit(first.start ?? 0, first.end ?? 0, exp.canonical ?? exp.name);
    this.retarget(site, entry);
  }
}

function leftmost(node: Node): Node {
  let current = node;
  while (current.type === 'TSQualifiedName') current = current.left;
  return current;
}
