import { canonicalName } from '../../manifest/targets';
import type { ImportDeclaration, Node, StringLiteral } from '@babel/types';
import { replacementSummary } from '../../manifest/render';
import type { LegacyExport, ManifestEntry } from '../../manifest/types';
import { callRewrite, namespaceUses } from './calls';
import type { RewriteContext } from './rewrite-context';
import { specifierKey, specifierText, type AddedSpecifier } from './import-targets';
import { indentAt, lineBreakOf } from './edits';
import { unmappedNote } from './markers';
import { statementOf, type Site } from './sites';
import { hasComments, withStatementComments } from './statement-comments';
import type { Attached } from './specifier-list';
import { bringsLineComment, brokenList, inline, lineLayout, type Added } from './specifier-layout';

// Import declarations: each legacy specifier moves to the canonical import (merged into an
// existing one where there is one), renamed where the manifest says so, or stays with a marker.

/** A canonical import to create after a legacy declaration that stays (partly) on its shim. */
export interface CreatedImport {
  statement: Node;
  literal: StringLiteral;
  specifier: string;
  /** Its specifiers, each with the comments it brings from the legacy list. */
  specs: (AddedSpecifier & { comments?: Attached | undefined })[];
}

/** An existing canonical import: new specifiers merge into it. */
export function adoptTarget(ctx: RewriteContext, node: ImportDeclaration): void {
  if (node.specifiers.some((s) => s.type !== 'ImportSpecifier')) return;
  const kind = node.importKind === 'type' ? 'type' : 'value';
  const targets = ctx.targetsFor(node.source.value);
  if (targets[kind]) return;
  const holds = new Set<string>();
  for (const s of node.specifiers) {
    if (s.type !== 'ImportSpecifier') continue;
    const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
    holds.add(specifierKey(imported, s.local.name, kind === 'type' || s.importKind === 'type'));
  }
  targets[kind] = { node, holds, list: ctx.listOf(node) };
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
    // Every name the same object under the same name: the declaration moves whole.
    if (ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
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
    const exp = ctx.mapping(entry, imported);
    if (exp?.rewrite === 'stays') {
      stayed.push(spec); // still valid at the legacy path: no rewrite, no marker
    } else if (!exp) {
      stayed.push(spec);
      ctx.mark(entry, statement, unmappedNote(imported, site.literal.value));
    } else if (exp.rewrite === 'same-object' || exp.rewrite === 'rename') {
      migrated.push({
        spec,
        add: renamed(ctx, entry, exp, imported, local, typeOnly, node),
      });
      ctx.codes.add(entry.code);
    } else if (exp.rewrite === 'call-rewrite' && !typeOnly) {
      const result = callRewrite(ctx, local, exp, entry);
      if (typeof result === 'string' || (result !== null && 'one' in result)) {
        stayed.push(spec);
        ctx.mark(entry, statement, result);
      } else {
        migrated.push({ spec, add: result });
      }
    } else {
      stayed.push(spec);
      ctx.mark(entry, statement, ctx.manualNote(exp, imported), exp.replacement);
    }
  }
  if (migrated.length === 0) return;
  const kind = declarationType ? 'type' : 'value';
  const canonical = ctx.canonicalFor(entry);
  const targets = ctx.targetsFor(canonical);
  const own = stayed.length === 0 ? ctx.commentsOf(node) : undefined;
  // A path-only move (every name as it is, to the same module) keeps its statement, with its
  // comments, rather than merge into another import of the same legacy module rewritten in place
  // (as prefer-node-protocol does) or, when it has comments of its own, into any other import.
  const pathOnly =
    own !== undefined &&
    migrated.every(
      ({ spec, add }) =>
        add?.from === canonical &&
        specifierText(add, !declarationType && add.typeOnly) === ctx.text(spec),
    ) &&
    (targets[kind]?.inPlaceOf === entry.code || hasComments(own));
  if (stayed.length === 0 && (!targets[kind] || pathOnly)) {
    // The declaration itself becomes the canonical import: the smallest diff.
    ctx.replaceLiteral(site.literal, canonical);
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
    if (kept.size === 0) return ctx.removeStatement(node);
    const list = ctx.listOf(node);
    list.specifier = `${ctx.quoteOf(site.literal)}${canonical}${ctx.quoteOf(site.literal)}`;
    for (const { spec } of migrated) {
      const text = texts.get(spec);
      if (text === undefined) list.remove(spec);
      else list.replace(spec, text);
    }
    targets[kind] ??= { node, holds, list, inPlaceOf: entry.code };
    return;
  }
  if (stayed.length > 0) {
    const list = ctx.listOf(node);
    for (const { spec } of migrated) list.remove(spec);
  }
  // A specifier that moves to another import takes its comments along, and those of its statement
  // when the statement goes.
  const list = ctx.listOf(node);
  const moving = migrated.filter((m): m is { spec: Node; add: AddedSpecifier } => m.add !== null);
  const names = moving.map(({ spec }) => list.commentsOf(spec));
  const comments = own ? withStatementComments(names, own) : names;
  moving.forEach(({ add }, i) => addSpecifier(ctx, add, statement, site.literal, comments[i]));
  if (stayed.length === 0) ctx.removeStatement(node);
}

/** The canonical specifier for a same-object or rename import, keeping the smaller diff. */
function renamed(
  ctx: RewriteContext,
  entry: ManifestEntry,
  exp: LegacyExport,
  imported: string,
  local: string,
  typeOnly: boolean,
  declaration: Node,
): AddedSpecifier {
  const from = ctx.canonicalFor(entry);
  const canonical = canonicalName(exp, imported);
  if (imported !== local || canonical === local)
    return { from, imported: canonical, local, typeOnly };
  // Renaming the binding is the smaller diff only when no use of it lies outside the import.
  const outside = ctx
    .refs(local)
    .filter(
      (r) =>
        (r.node.start ?? 0) < (declaration.start ?? 0) ||
        (r.node.start ?? 0) >= (declaration.end ?? 0),
    );
  if (outside.length === 0 && !ctx.topLevel.has(canonical))
    return { from, imported: canonical, local: canonical, typeOnly };
  return { from, imported: canonical, local, typeOnly };
}

/** Adds a specifier to the canonical import of its kind, or to one created after `statement`. */
function addSpecifier(
  ctx: RewriteContext,
  add: AddedSpecifier,
  statement: Node,
  literal: StringLiteral,
  comments?: Attached,
): void {
  const targets = ctx.targetsFor(add.from);
  const target = (add.typeOnly ? targets.type : undefined) ?? targets.value;
  const key = specifierKey(add.imported, add.local, add.typeOnly);
  if (target) {
    if (
      !target.holds.has(key) &&
      !target.holds.has(specifierKey(add.imported, add.local, !add.typeOnly))
    ) {
      target.holds.add(key);
      target.list.add(specifierText(add, target !== targets.type && add.typeOnly), comments);
    }
    return;
  }
  const createdKey = `${statement.start}\0${add.from}`;
  const created = ctx.created.get(createdKey) ?? {
    statement,
    literal,
    specifier: add.from,
    specs: [],
  };
  const held = created.specs.find((s) => specifierKey(s.imported, s.local, s.typeOnly) === key);
  if (!held) created.specs.push({ ...add, comments });
  else if (comments) held.comments = joined(held.comments, comments);
  ctx.created.set(createdKey, created);
}

/** The comments of two specifiers that become one: a second trailing one goes on its own line. */
function joined(first: Attached | undefined, second: Attached): Attached {
  if (!first) return second;
  const leading = [...first.leading, ...second.leading];
  if (first.trailing === undefined) return { leading, trailing: second.trailing };
  if (second.trailing !== undefined) leading.push(second.trailing);
  return { leading, trailing: first.trailing };
}

/**
 * Writes the canonical imports that could not go into an existing declaration, each on the line
 * after its legacy one, with the comments its specifiers bring: on one line (block comments
 * inline); one specifier a line where a `//` comment comes along, or, with a prettier config, where
 * the line would be longer than `printWidth`.
 */
export function flushTargets(ctx: RewriteContext): void {
  ctx.flushLists();
  const eol = lineBreakOf(ctx.source);
  const comments = ctx.ast.comments ?? [];
  const inComment = (at: number) => comments.some((c) => (c.start ?? 0) <= at && at < (c.end ?? 0));
  for (const { statement, literal, specifier, specs } of ctx.created.values()) {
    const values = specs.filter((s) => !s.typeOnly);
    // An import of values and types: `type` on each type; of types only: `import type`.
    const ordered = values.length > 0 ? [...values, ...specs.filter((s) => s.typeOnly)] : specs;
    const items: Added[] = ordered.map((s) => ({
      text: specifierText(s, values.length > 0),
      comments: s.comments,
    }));
    const quote = ctx.quoteOf(literal);
    const semi = ctx.source[(statement.end ?? 1) - 1] === ';' ? ';' : '';
    const keyword = values.length > 0 ? 'import' : 'import type';
    const from = ` from ${quote}${specifier}${quote}${semi}`;
    const indent = indentAt(ctx.source, statement.start ?? 0);
    let list = `{ ${items.map(inline).join(', ')} }`;
    const style = ctx.style;
    const long =
      style && items.length > 1 && `${indent}${keyword} ${list}${from}`.length > style.printWidth;
    // As prettier prints an import that does not fit, or that holds a `//` comment.
    if (long || items.some(bringsLineComment))
      list = brokenList(items, [], indent, lineLayout(ctx.source, inComment, style));
    ctx.edit(statement.end ?? 0, statement.end ?? 0, `${eol}${indent}${keyword} ${list}${from}`);
  }
}
