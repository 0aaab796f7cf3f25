import type { ImportDeclaration, Node, StringLiteral } from '@babel/types';
import { replacementSummary } from '../../manifest/render';
import type { LegacyExport, ManifestEntry } from '../../manifest/types';
import { callRewrite, exportOf, namespaceUses } from './calls';
import { keepOnly, lineRange } from './edits';
import {
  specifierKey,
  specifierText,
  type AddedSpecifier,
  type ImportTarget,
  type RewriteContext,
} from './rewrite-context';
import { statementOf, type Site } from './sites';

// Import declarations: each legacy specifier moves to the canonical import (merged into an
// existing one where there is one), renamed where the manifest says so, or stays with a marker.

/** An existing canonical import: new specifiers merge into it. */
export function adoptTarget(ctx: RewriteContext, node: ImportDeclaration): void {
  if (node.specifiers.some((s) => s.type !== 'ImportSpecifier')) return;
  const kind = node.importKind === 'type' ? 'type' : 'value';
  if (ctx.targets[kind]) return;
  const holds = new Set<string>();
  for (const s of node.specifiers) {
    if (s.type !== 'ImportSpecifier') continue;
    const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
    holds.add(specifierKey(imported, s.local.name, kind === 'type' || s.importKind === 'type'));
  }
  ctx.targets[kind] = { node, holds, appended: [] };
}

export function importDeclaration(
  ctx: RewriteContext,
  site: Site,
  node: ImportDeclaration,
  entry: ManifestEntry,
): void {
  const statement = statementOf(site);
  if (node.specifiers.length === 0) return ctx.retarget(site.literal, entry);
  const first = node.specifiers[0];
  if (first && first.type !== 'ImportSpecifier') {
    // import * as ns / import ns (default) / import ns, { … }
    if (node.specifiers.length > 1)
      return ctx.mark(
        entry,
        statement,
        `a default import with named imports of ${site.literal.value}: migrate by hand`,
        replacementSummary(entry),
      );
    const problem = namespaceUses(ctx, first.local.name, entry);
    if (problem) return ctx.mark(entry, statement, problem);
    return ctx.retarget(site.literal, entry);
  }
  const declarationType = node.importKind === 'type';
  const migrated: { spec: Node; add: AddedSpecifier | null }[] = [];
  const stayed: Node[] = [];
  for (const spec of node.specifiers) {
    if (spec.type !== 'ImportSpecifier') continue;
    const imported = spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
    const local = spec.local.name;
    const typeOnly = declarationType || spec.importKind === 'type';
    const exp = exportOf(entry, imported);
    if (!exp) {
      stayed.push(spec);
      ctx.mark(
        entry,
        statement,
        `${imported} is not an export of ${site.literal.value}; left on its shim`,
      );
    } else if (exp.rewrite === 'same-object' || exp.rewrite === 'rename') {
      migrated.push({ spec, add: renamed(ctx, exp, local, imported !== local, typeOnly, node) });
      ctx.codes.add(entry.code);
    } else if (exp.rewrite === 'call-rewrite' && !typeOnly) {
      const result = callRewrite(ctx, local, exp, entry);
      if (typeof result === 'string') {
        stayed.push(spec);
        ctx.mark(entry, statement, result);
      } else {
        migrated.push({ spec, add: result });
      }
    } else {
      stayed.push(spec);
      ctx.mark(entry, statement, `${imported} has no safe automatic rewrite`, exp.replacement);
    }
  }
  if (migrated.length === 0) return;
  const kind = declarationType ? 'type' : 'value';
  if (stayed.length === 0 && !ctx.targets[kind]) {
    // The declaration itself becomes the canonical import: the smallest diff.
    ctx.replaceLiteral(site.literal, ctx.canonical);
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
      const range = lineRange(ctx.source, node.start ?? 0, node.end ?? 0);
      ctx.edit(range.start, range.end, '');
      return;
    }
    if (kept.size < migrated.length) {
      // Rewrite the list as one edit so the dropped duplicate's comma never collides.
      const list = keepOnly(ctx.source, node.specifiers, kept);
      const separator = ctx.source.slice(
        node.specifiers[0]?.end ?? 0,
        node.specifiers[1]?.start ?? 0,
      );
      list.text = [...kept].map((spec) => texts.get(spec) as string).join(separator);
      ctx.edits.push(list);
    } else {
      for (const [spec, text] of texts)
        if (text !== ctx.text(spec)) ctx.edit(spec.start ?? 0, spec.end ?? 0, text);
    }
    ctx.targets[kind] = { node, holds, appended: [] };
    return;
  }
  if (stayed.length > 0) ctx.edits.push(keepOnly(ctx.source, node.specifiers, new Set(stayed)));
  for (const { add } of migrated) if (add) addSpecifier(ctx, add, statement, site.literal);
  if (stayed.length === 0) {
    const range = lineRange(ctx.source, node.start ?? 0, node.end ?? 0);
    ctx.edit(range.start, range.end, '');
  }
}

/** The canonical specifier for a same-object or rename import, keeping the smaller diff. */
function renamed(
  ctx: RewriteContext,
  exp: LegacyExport,
  local: string,
  aliased: boolean,
  typeOnly: boolean,
  declaration: Node,
): AddedSpecifier {
  const canonical = exp.canonical ?? exp.name;
  if (aliased || canonical === local) return { imported: canonical, local, typeOnly };
  // Renaming the binding is the smaller diff only when no use of it lies outside the import.
  const outside = ctx
    .refs(local)
    .filter(
      (r) =>
        (r.node.start ?? 0) < (declaration.start ?? 0) ||
        (r.node.start ?? 0) >= (declaration.end ?? 0),
    );
  if (outside.length === 0 && !ctx.topLevel.has(canonical))
    return { imported: canonical, local: canonical, typeOnly };
  return { imported: canonical, local, typeOnly };
}

/** Adds a specifier to the canonical import of its kind, or to one created after `statement`. */
function addSpecifier(
  ctx: RewriteContext,
  add: AddedSpecifier,
  statement: Node,
  literal: StringLiteral,
): void {
  const target = (add.typeOnly ? ctx.targets.type : undefined) ?? ctx.targets.value;
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
  const created = ctx.created.get(statement) ?? { literal, specs: [] };
  if (!created.specs.some((s) => specifierKey(s.imported, s.local, s.typeOnly) === key))
    created.specs.push(add);
  ctx.created.set(statement, created);
}

/** Writes the canonical imports that could not go into an existing declaration. */
export function flushTargets(ctx: RewriteContext): void {
  for (const [kind, target] of Object.entries(ctx.targets) as ['value' | 'type', ImportTarget][]) {
    if (target.appended.length > 0) append(ctx, target, kind === 'type');
  }
  for (const [statement, { literal, specs }] of ctx.created) {
    const values = specs.filter((s) => !s.typeOnly);
    const types = specs.filter((s) => s.typeOnly);
    const quote = ctx.quoteOf(literal);
    const semi = ctx.source[(statement.end ?? 1) - 1] === ';' ? ';' : '';
    const lines: string[] = [];
    if (values.length > 0)
      lines.push(
        `import { ${[...values.map((s) => specifierText(s, false)), ...types.map((s) => specifierText(s, true))].join(', ')} } from ${quote}${ctx.canonical}${quote}${semi}`,
      );
    else
      lines.push(
        `import type { ${types.map((s) => specifierText(s, false)).join(', ')} } from ${quote}${ctx.canonical}${quote}${semi}`,
      );
    ctx.edit(statement.end ?? 0, statement.end ?? 0, `\n${lines.join('\n')}`);
  }
}

/** Inserts appended specifiers after the last one, in the declaration's own layout. */
function append(ctx: RewriteContext, target: ImportTarget, typeTarget: boolean): void {
  const node = target.node;
  const last = node.specifiers.at(-1);
  const texts = target.appended.map((s) => specifierText(s, !typeTarget && s.typeOnly));
  if (!last) return;
  const source = ctx.source;
  const close = source.indexOf('}', last.end ?? 0);
  const between = source.slice(last.end ?? 0, close);
  const trailingComma = between.includes(',');
  if (between.includes('\n')) {
    // One specifier per line: follow the layout, and the trailing comma if there is one.
    const indent =
      /\n([ \t]*)[^\n]*$/.exec(source.slice(node.start ?? 0, last.start ?? 0))?.[1] ?? '  ';
    if (trailingComma) {
      const at = (last.end ?? 0) + between.indexOf(',') + 1;
      ctx.edit(at, at, texts.map((t) => `\n${indent}${t},`).join(''));
    } else {
      ctx.edit(last.end ?? 0, last.end ?? 0, texts.map((t) => `,\n${indent}${t}`).join(''));
    }
  } else {
    ctx.edit(last.end ?? 0, last.end ?? 0, texts.map((t) => `, ${t}`).join(''));
  }
}
