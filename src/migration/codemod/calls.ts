import { canonicalName } from '../../manifest/targets';
import type { Node } from '@babel/types';
import type { LegacyExport, ManifestEntry } from '../../manifest/types';
import { lineRange } from './edits';
import type { Said } from './markers';
import type { AddedSpecifier } from './import-targets';
import type { RewriteContext } from './rewrite-context';

// Rewrites of the uses of a binding: call rewrites declared in the manifest (`calls`), instances
// whose receiver is statically known, and the members of a namespace-like binding (`ns.X`).

/**
 * Rewrites every use of a call-rewrite binding, or none: each reference must match the
 * export's `calls` (a value use, a call, or a known method call). Returns the canonical import
 * to add, or the reason it cannot.
 */
export function callRewrite(
  ctx: RewriteContext,
  local: string,
  exp: LegacyExport,
  entry: ManifestEntry,
): AddedSpecifier | null | Said {
  const calls = exp.calls;
  if (!calls)
    return {
      name: exp.name,
      one: `{names} has no statically safe rewrite (${exp.replacement})`,
      many: `{names} have no statically safe rewrite (${exp.replacement})`,
    };
  const from = ctx.canonicalFor(entry);
  const importLocal = ctx.localFor(calls.import, false, from);
  const fill = (template: string) => template.replaceAll('{import}', importLocal);
  if (calls.instance) return instanceRewrite(ctx, local, exp, entry, calls.instance, importLocal);
  const edits: [number, number, string][] = [];
  for (const ref of ctx.refs(local)) {
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
      return `${ctx.text(parent ?? ref.node)} (line ${ctx.lineOf(ref.node.start ?? 0)}) has no safe rewrite to ${exp.replacement}`;
    }
  }
  for (const [start, end, text] of edits) ctx.edit(start, end, text);
  ctx.codes.add(entry.code);
  return { from, imported: calls.import, local: importLocal, typeOnly: false };
}

/**
 * Instances whose receiver is statically known: each `new X(arg?)` must initialise a top-level
 * `const` whose every use is a listed method call. Those calls move to the receiver (the argument
 * when it is a plain name, else the default manager) and the declarations go. Returns the import
 * to add, null when none is needed, or the reason it cannot.
 */
function instanceRewrite(
  ctx: RewriteContext,
  local: string,
  exp: LegacyExport,
  entry: ManifestEntry,
  methods: Readonly<Record<string, string>>,
  importLocal: string,
): AddedSpecifier | null | string {
  const edits: [number, number, string][] = [];
  let needsImport = false;
  const refuse = (node: Node) =>
    `${ctx.text(node)} (line ${ctx.lineOf(node.start ?? 0)}) has no safe rewrite to ${exp.replacement}`;
  for (const ref of ctx.refs(local)) {
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
    for (const use of ctx.refs(declarator.id.name)) {
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
      edits.push([member.start ?? 0, member.end ?? 0, template.replaceAll('{receiver}', receiver)]);
    }
    const range = lineRange(ctx.source, declaration.start ?? 0, declaration.end ?? 0);
    edits.push([range.start, range.end, '']);
  }
  for (const [start, end, text] of edits) ctx.edit(start, end, text);
  ctx.codes.add(entry.code);
  return needsImport
    ? {
        from: ctx.canonicalFor(entry),
        imported: exp.calls?.import ?? '',
        local: importLocal,
        typeOnly: false,
      }
    : null;
}

/**
 * Checks (and rewrites) every use of a namespace-like binding (`ns.X`): members that are the
 * same object stay, renamed members are renamed, call-rewrite members are rewritten. Returns
 * the reason when one use cannot be.
 */
export function namespaceUses(
  ctx: RewriteContext,
  local: string,
  entry: ManifestEntry,
): string | undefined {
  const edits: [number, number, string][] = [];
  for (const ref of ctx.refs(local)) {
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
      return `${local} is used as a whole (line ${ctx.lineOf(ref.node.start ?? 0)}), not only as ${local}.X; migrate by hand`;
    const exp = ctx.mapping(entry, member.name);
    if (!exp) return `the manifest does not map ${local}.${member.name}; left on its shim`;
    if (exp.rewrite === 'same-object') continue;
    if (exp.rewrite === 'rename') {
      edits.push([member.start ?? 0, member.end ?? 0, canonicalName(exp, member.name)]);
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
  for (const [start, end, text] of edits) ctx.edit(start, end, text);
  return undefined;
}
