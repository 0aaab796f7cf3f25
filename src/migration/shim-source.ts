import { posix } from 'node:path';
import type { LegacyExport, ManifestEntry } from './manifest-types';

/** The shim file of a legacy module, relative to the package root. */
export function shimPath(entry: ManifestEntry): string {
  return `shims/${entry.module}.ts`;
}

/** The JSDoc every exported specifier of a shim carries, so editors strike uses through. */
export function deprecatedTag(entry: ManifestEntry, legacy: LegacyExport): string {
  return `@deprecated ${entry.code}: use ${legacy.replacement}. Run the legacy-to-canonical codemod; see docs/deprecations.md#${entry.docs}`;
}

/**
 * The TypeScript source of a shim, generated from its manifest entry: report the import (a
 * same-object re-export has no other moment to), then re-export — the canonical object itself for
 * same-object and rename entries, the delegating implementation from src/legacy otherwise.
 */
export function shimSource(entry: ManifestEntry): string {
  const toRoot = posix.relative(posix.dirname(shimPath(entry)), '.') || '.';
  const canonical = entry.exports.filter(
    (e) => e.rewrite === 'same-object' || e.rewrite === 'rename',
  );
  const delegating = entry.exports.filter(
    (e) => e.rewrite === 'call-rewrite' || e.rewrite === 'manual',
  );
  const specifier = (legacy: LegacyExport, source: string) =>
    `  /** ${deprecatedTag(entry, legacy)} */\n  ${source === legacy.name ? legacy.name : `${source} as ${legacy.name}`},\n`;
  const block = (
    exports: LegacyExport[],
    typeOnly: boolean,
    from: string,
    sourceName: (e: LegacyExport) => string,
  ) =>
    exports.length === 0
      ? ''
      : `export ${typeOnly ? 'type ' : ''}{\n${exports.map((e) => specifier(e, sourceName(e))).join('')}} from '${from}';\n`;
  const root = `${toRoot}/src/index`;
  const legacy = `${toRoot}/src/legacy/index`;
  return [
    `// Generated from src/migration/manifest.ts (${entry.code}) by \`npm run generate\`: do not edit.`,
    `// ${entry.summary}`,
    `import { reportModuleUse } from '${toRoot}/src/deprecation/index';`,
    '',
    `reportModuleUse('${entry.code}');`,
    '',
    block(
      canonical.filter((e) => !e.typeOnly),
      false,
      root,
      (e) => e.canonical ?? e.name,
    ) +
      block(
        canonical.filter((e) => e.typeOnly),
        true,
        root,
        (e) => e.canonical ?? e.name,
      ) +
      block(delegating, false, legacy, (e) => e.name),
  ].join('\n');
}
