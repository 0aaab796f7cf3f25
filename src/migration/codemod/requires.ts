import type { Node, ObjectPattern } from '@babel/types';
import { replacementSummary } from '../../manifest/render';
import { canonicalTargetOf, canonicalName } from '../../manifest/targets';
import type { ManifestEntry } from '../../manifest/types';
import { namespaceUses } from './calls';
import type { NameNote } from './markers';
import type { RewriteContext } from './rewrite-context';
import { shape, statementOf, type Site } from './sites';

// The specifiers outside import and export declarations: require() and require.resolve(),
// import() anywhere, `typeof import()` types, `declare module` blocks, test mocks and TypeScript's
// `import x = require()`.

export function requireCall(ctx: RewriteContext, site: Site, entry: ManifestEntry): void {
  const statement = statementOf(site);
  const parent = site.ancestors.at(-1);
  if (parent?.type === 'ExpressionStatement') return ctx.retarget(site.literal, entry);
  if (
    parent?.type === 'MemberExpression' &&
    parent.object === site.node &&
    !parent.computed &&
    parent.property.type === 'Identifier'
  ) {
    const exp = ctx.mapping(entry, parent.property.name);
    if (exp && (exp.rewrite === 'same-object' || exp.rewrite === 'rename')) {
      if (exp.rewrite === 'rename')
        ctx.edit(
          parent.property.start ?? 0,
          parent.property.end ?? 0,
          canonicalName(exp, parent.property.name),
        );
      return ctx.retarget(site.literal, entry);
    }
  }
  if (parent?.type === 'VariableDeclarator' && parent.init === site.node) {
    if (parent.id.type === 'Identifier') {
      if (ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
      const problem = namespaceUses(ctx, parent.id.name, entry);
      return problem ? ctx.mark(entry, statement, problem) : ctx.retarget(site.literal, entry);
    }
    if (parent.id.type === 'ObjectPattern') return destructured(ctx, site, entry, parent.id);
  }
  if (ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
  ctx.mark(
    entry,
    statement,
    `a require() of ${site.literal.value} the codemod cannot map; migrate by hand`,
    replacementSummary(entry),
  );
}

/** `import('legacy').X` in a type: the qualifier is mapped; a bare one needs same-object names. */
export function importType(ctx: RewriteContext, site: Site, entry: ManifestEntry): void {
  const node = site.node as Node & { qualifier?: Node | null };
  const qualifier = node.qualifier;
  const first =
    qualifier?.type === 'Identifier'
      ? qualifier
      : qualifier?.type === 'TSQualifiedName'
        ? leftmost(qualifier)
        : undefined;
  if (!first) {
    if (ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
    return ctx.mark(
      entry,
      statementOf(site),
      `typeof import() of ${site.literal.value} names members that differ in ${ctx.canonicalFor(entry)}; migrate by hand`,
    );
  }
  const exp = ctx.mapping(entry, (first as { name: string }).name);
  if (!exp || (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename')) {
    return ctx.mark(
      entry,
      statementOf(site),
      `import(${site.literal.value}).${(first as { name: string }).name} has no canonical equal; migrate by hand`,
    );
  }
  if (exp.rewrite === 'rename')
    ctx.edit(
      first.start ?? 0,
      first.end ?? 0,
      canonicalName(exp, (first as { name: string }).name),
    );
  ctx.retarget(site.literal, entry);
}

/**
 * `import x = require(legacy)`: moved when every name of the entry is the same object in the
 * target (a path move), else a marker: the binding is the whole module.
 */
export function importEquals(ctx: RewriteContext, site: Site, entry: ManifestEntry): void {
  if (ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
  ctx.mark(
    entry,
    statementOf(site),
    `${shape(site)} of ${site.literal.value}: its names differ in ${ctx.canonicalFor(entry)}; migrate by hand`,
    replacementSummary(entry),
  );
}

/** import() anywhere, a jest/vitest mock, or a declare module block: a path rewrite when safe. */
export function pathOnly(ctx: RewriteContext, site: Site, entry: ManifestEntry): void {
  // `declare module 'fs'` augments the legacy module: rewritten, it would augment another one.
  if (
    site.kind === 'declare-module' &&
    canonicalTargetOf(ctx.resolver.manifest, entry).kind === 'builtin'
  )
    return;
  if (ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
  // const { a, b } = await import(legacy): the names it takes decide, as for require().
  const awaited = site.ancestors.at(-1);
  const declarator = site.ancestors.at(-2);
  if (
    site.kind === 'dynamic-import' &&
    awaited?.type === 'AwaitExpression' &&
    declarator?.type === 'VariableDeclarator' &&
    declarator.init === awaited &&
    declarator.id.type === 'ObjectPattern'
  )
    return destructured(ctx, site, entry, declarator.id);
  ctx.mark(
    entry,
    statementOf(site),
    `${shape(site)}: its names differ in the canonical module; migrate by hand`,
    replacementSummary(entry),
  );
}

function leftmost(node: Node): Node {
  let current = node;
  while (current.type === 'TSQualifiedName') current = current.left;
  return current;
}

/**
 * `const { a, b: c } = require(legacy)` or `= await import(legacy)`: every name same-object or
 * renamed (the key renamed, the local binding kept), else a marker and no change.
 */
function destructured(
  ctx: RewriteContext,
  site: Site,
  entry: ManifestEntry,
  pattern: ObjectPattern,
): void {
  const statement = statementOf(site);
  const edits: [number, number, string][] = [];
  const notes: NameNote[] = [];
  for (const property of pattern.properties) {
    if (
      property.type !== 'ObjectProperty' ||
      property.computed ||
      property.key.type !== 'Identifier'
    ) {
      return ctx.mark(
        entry,
        statement,
        `a destructuring of ${site.literal.value} the codemod cannot map; migrate by hand`,
      );
    }
    const name = property.key.name;
    const exp = ctx.mapping(entry, name);
    if (!exp) {
      const text = `the manifest does not map {names} of ${site.literal.value}`;
      notes.push({ name, one: text, many: text });
      continue;
    }
    if (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename') {
      notes.push(
        ctx.unmetCondition(exp) !== undefined
          ? ctx.manualNote(exp, name)
          : {
              name,
              one: `{names} has no safe automatic rewrite (${exp.replacement})`,
              many: `{names} have no safe automatic rewrite (${exp.replacement})`,
            },
      );
      continue;
    }
    if (exp.rewrite === 'rename') {
      const canonical = canonicalName(exp, property.key.name);
      // `{ Legacy }` → `{ Canonical: Legacy }` keeps the local binding; `{ Legacy: x }` → `{ Canonical: x }`.
      if (property.shorthand)
        edits.push([property.start ?? 0, property.end ?? 0, `${canonical}: ${property.key.name}`]);
      else edits.push([property.key.start ?? 0, property.key.end ?? 0, canonical]);
    }
  }
  // Every name that keeps the statement as it is is named on its marker.
  if (notes.length > 0) {
    for (const note of notes) ctx.mark(entry, statement, note);
    return;
  }
  for (const [start, end, text] of edits) ctx.edit(start, end, text);
  return ctx.retarget(site.literal, entry);
}
