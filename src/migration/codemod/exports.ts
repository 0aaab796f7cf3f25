import { canonicalName } from '../../manifest/targets';
import type { ExportAllDeclaration, ExportNamedDeclaration, Node } from '@babel/types';
import { replacementSummary } from '../../manifest/render';
import { WILDCARD, type LegacyExport, type ManifestEntry } from '../../manifest/types';
import { unmappedNote, type NameNote } from './markers';
import type { RewriteContext } from './rewrite-context';
import { statementOf, type Site } from './sites';

// Re-exports of a legacy module: `export { X } from` and `export * from`.

export function exportNamed(
  ctx: RewriteContext,
  site: Site,
  node: ExportNamedDeclaration,
  entry: ManifestEntry,
): void {
  const statement = statementOf(site);
  const texts: [Node, string][] = [];
  // Every name that keeps the statement on its shim is named on its marker.
  const notes: [NameNote, string | undefined][] = [];
  for (const spec of node.specifiers) {
    if (spec.type === 'ExportNamespaceSpecifier') {
      if (!ctx.allSameObject(entry))
        return ctx.mark(
          entry,
          statement,
          `export * as ${spec.exported.name} re-exports names that differ in ${ctx.canonicalFor(entry)}; migrate by hand`,
        );
      continue;
    }
    if (spec.type !== 'ExportSpecifier')
      return ctx.mark(entry, statement, 'an unusual re-export; migrate by hand');
    const local = spec.local.name;
    const exported = spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value;
    const exp = ctx.mapping(entry, local);
    if (!exp) {
      notes.push([unmappedNote(local, site.literal.value), undefined]);
      continue;
    }
    if (ctx.unmetCondition(exp) !== undefined) {
      // A version condition not met: said as such (see RewriteContext.mapping).
      notes.push([ctx.manualNote(exp, local), exp.replacement]);
      continue;
    }
    if (exp.rewrite !== 'same-object' && exp.rewrite !== 'rename') {
      notes.push([
        {
          name: local,
          one: 're-exporting {names} keeps its legacy shape; export the canonical API instead',
          many: 're-exporting {names} keeps their legacy shape; export the canonical API instead',
        },
        exp.replacement,
      ]);
      continue;
    }
    const canonical = canonicalName(exp, local);
    const typePrefix = spec.exportKind === 'type' ? 'type ' : '';
    texts.push([
      spec,
      `${typePrefix}${canonical === exported ? canonical : `${canonical} as ${exported}`}`,
    ]);
  }
  if (notes.length > 0) {
    for (const [note, detail] of notes) ctx.mark(entry, statement, note, detail);
    return;
  }
  for (const [spec, text] of texts)
    if (text !== ctx.text(spec)) ctx.edit(spec.start ?? 0, spec.end ?? 0, text);
  ctx.retarget(site.literal, entry);
}

/**
 * `export * from legacy` becomes exactly the list of what the legacy module provides: read from its
 * source where it is a repository file, else the manifest's list (the built-in shims export exactly
 * it). Never a subset: a name the manifest does not map, or one without a canonical equal, keeps
 * the whole statement on its shim with a marker naming it.
 */
export function exportAll(
  ctx: RewriteContext,
  site: Site,
  node: ExportAllDeclaration,
  entry: ManifestEntry,
): void {
  const real = ctx.legacyExportsOf(site.literal.value);
  const wildcard = entry.exports.some((e) => e.name === WILDCARD);
  // "*" moving every name to the same name: a plain path rewrite is exact.
  if (wildcard && ctx.allSameObject(entry)) return ctx.retarget(site.literal, entry);
  if ((real && !real.complete) || (!real && wildcard))
    return ctx.mark(
      entry,
      statementOf(site),
      `export * of ${site.literal.value}: its exports cannot all be read; list them by hand`,
    );
  // export * never re-exports a default export.
  const names = real
    ? [...real.names].filter((name) => name !== 'default')
    : entry.exports.map((e) => e.name);
  const unmapped = names.filter((name) => !ctx.mapping(entry, name));
  if (unmapped.length > 0)
    return ctx.mark(
      entry,
      statementOf(site),
      `export * also re-exports ${unmapped.join(', ')}, which the manifest does not map; list them by hand`,
    );
  const exports = names.map((name) => [name, ctx.mapping(entry, name) as LegacyExport] as const);
  if (!exports.every(([, e]) => e.rewrite === 'same-object' || e.rewrite === 'rename')) {
    return ctx.mark(
      entry,
      statementOf(site),
      'export * includes names without a canonical equal; list them by hand',
      replacementSummary(entry),
    );
  }
  const typeOnly = node.exportKind === 'type';
  const list = exports.map(([legacy, e]) => {
    const canonical = canonicalName(e, legacy);
    const name = canonical === legacy ? canonical : `${canonical} as ${legacy}`;
    const isType = real ? real.typeOnly.has(legacy) : e.typeOnly === true;
    return isType && !typeOnly ? `type ${name}` : name;
  });
  const quote = ctx.quoteOf(site.literal);
  const semi = ctx.source[(node.end ?? 1) - 1] === ';' ? ';' : '';
  ctx.edit(
    node.start ?? 0,
    node.end ?? 0,
    `export ${typeOnly ? 'type ' : ''}{ ${list.join(', ')} } from ${quote}${ctx.canonicalFor(entry)}${quote}${semi}`,
  );
  ctx.codes.add(entry.code);
}
