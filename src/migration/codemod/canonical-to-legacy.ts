import type { ExportNamedDeclaration, ImportDeclaration, Node } from '@babel/types';
import { legacySpecifier } from '../../manifest/render';
import type { LegacyExport, Manifest, ManifestEntry } from '../../manifest/types';
import { applyEdits, keepOnly } from './edits';
import type { FileResult } from './legacy-to-canonical';
import { findSites } from './legacy-to-canonical';
import { parseOrReport } from './parse';

interface Reverse {
  entry: ManifestEntry;
  legacy: LegacyExport;
}

/**
 * Where a canonical name goes back to: the entry whose legacy name is the local name (an alias
 * like `WebSocketManager as UnifiedWebSocketManager` names its module), else the first entry
 * that exports the same object under the same name. Call rewrites have no reverse.
 */
function reverseOf(manifest: Manifest, imported: string, local: string): Reverse | undefined {
  let sameName: Reverse | undefined;
  for (const entry of manifest.entries) {
    for (const legacy of entry.exports) {
      if (
        (legacy.rewrite !== 'same-object' && legacy.rewrite !== 'rename') ||
        (legacy.canonical ?? legacy.name) !== imported
      )
        continue;
      if (legacy.name === local && legacy.name !== imported) return { entry, legacy };
      if (legacy.rewrite === 'same-object' && !sameName) sameName = { entry, legacy };
    }
  }
  return sameName;
}

type Specifier =
  ImportDeclaration['specifiers'][number] | ExportNamedDeclaration['specifiers'][number];

/**
 * Canonical → legacy for one file: the reverse of the same-object and rename rewrites, generated
 * from the same manifest. Where legacy-to-canonical only moved a path or renamed, running this on
 * its output gives the original bytes back.
 */
export function canonicalToLegacy(
  source: string,
  filePath: string,
  manifest: Manifest,
): FileResult {
  const unchanged: FileResult = { status: 'unchanged', output: source, codes: [], markers: [] };
  if (!source.includes(manifest.canonical)) return unchanged;
  const ast = parseOrReport(source, filePath);
  if ('status' in ast) return ast;
  const edits: { start: number; end: number; text: string }[] = [];
  const codes = new Set<string>();
  for (const site of findSites(ast)) {
    if (site.literal.value !== manifest.canonical) continue;
    if (site.kind !== 'import' && site.kind !== 'export-named') continue;
    const node = site.node as ImportDeclaration | ExportNamedDeclaration;
    const specifiers = node.specifiers as Specifier[];
    if (
      specifiers.length === 0 ||
      specifiers.some((s) => s.type !== 'ImportSpecifier' && s.type !== 'ExportSpecifier')
    )
      continue;
    const groups = new Map<ManifestEntry, { spec: Specifier; text: string }[]>();
    const stays: Specifier[] = [];
    for (const spec of specifiers) {
      const imported =
        spec.type === 'ImportSpecifier'
          ? nameOf(spec.imported)
          : spec.type === 'ExportSpecifier'
            ? spec.local.name
            : '';
      const local =
        spec.type === 'ImportSpecifier'
          ? spec.local.name
          : spec.type === 'ExportSpecifier'
            ? nameOf(spec.exported)
            : '';
      const reverse = reverseOf(manifest, imported, local);
      if (!reverse) {
        stays.push(spec);
        continue;
      }
      const inlineType =
        (spec as { importKind?: string; exportKind?: string }).importKind === 'type' ||
        (spec as { exportKind?: string }).exportKind === 'type'
          ? 'type '
          : '';
      const text = `${inlineType}${reverse.legacy.name === local ? local : `${reverse.legacy.name} as ${local}`}`;
      groups.set(reverse.entry, [...(groups.get(reverse.entry) ?? []), { spec, text }]);
    }
    if (groups.size === 0) continue;
    const quote = source[site.literal.start ?? 0] ?? "'";
    const [first, ...rest] = [...groups];
    const inPlace = stays.length === 0 ? first : undefined;
    if (inPlace) {
      const [entry, specs] = inPlace;
      edits.push({
        start: site.literal.start ?? 0,
        end: site.literal.end ?? 0,
        text: `${quote}${legacySpecifier(manifest, entry)}${quote}`,
      });
      for (const { spec, text } of specs)
        if (text !== source.slice(spec.start ?? 0, spec.end ?? 0))
          edits.push({ start: spec.start ?? 0, end: spec.end ?? 0, text });
      codes.add(entry.code);
    }
    const created = inPlace
      ? rest
      : [first, ...rest].filter(
          (g): g is [ManifestEntry, { spec: Specifier; text: string }[]] => g !== undefined,
        );
    if (created.length === 0) continue;
    const moved = new Set(created.flatMap(([, specs]) => specs.map((s) => s.spec)));
    edits.push(keepOnly(source, specifiers, new Set(specifiers.filter((s) => !moved.has(s)))));
    const semi = source[(node.end ?? 1) - 1] === ';' ? ';' : '';
    const keyword =
      site.kind === 'import'
        ? `import${(node as ImportDeclaration).importKind === 'type' ? ' type' : ''}`
        : `export${(node as ExportNamedDeclaration).exportKind === 'type' ? ' type' : ''}`;
    const lines = created.map(([entry, specs]) => {
      codes.add(entry.code);
      return `\n${keyword} { ${specs.map((s) => s.text).join(', ')} } from ${quote}${legacySpecifier(manifest, entry)}${quote}${semi}`;
    });
    edits.push({ start: node.end ?? 0, end: node.end ?? 0, text: lines.join('') });
  }
  if (edits.length === 0) return unchanged;
  return {
    status: 'changed',
    output: applyEdits(source, edits),
    codes: [...codes].sort(),
    markers: [],
  };
}

function nameOf(node: Node): string {
  return node.type === 'Identifier' ? node.name : node.type === 'StringLiteral' ? node.value : '';
}
