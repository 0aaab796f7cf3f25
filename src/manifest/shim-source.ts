import { posix } from 'node:path';
import { docsLink, MANIFEST_SOURCE } from './render';
import type { LegacyExport, ManifestEntry } from './types';

/** The shim file of a legacy module, relative to the package root. */
export function shimPath(entry: ManifestEntry): string {
  return `shims/${entry.module}.ts`;
}

/** The JSDoc every exported specifier of a shim carries, so editors strike uses through. */
export function deprecatedTag(entry: ManifestEntry, legacy: LegacyExport): string {
  return `@deprecated ${entry.code}: use ${legacy.replacement}. Run the legacy-to-canonical codemod; see ${docsLink(entry)}`;
}

/** True when src/legacy implements `name` as a class (its shim then exports the instance type too). */
export function isLegacyClass(name: string): boolean {
  const implementation = (require('../legacy/index') as Record<string, unknown>)[name];
  return (
    typeof implementation === 'function' &&
    Function.prototype.toString.call(implementation).startsWith('class')
  );
}

/**
 * The TypeScript source of a shim, generated from its manifest entry: report the import (a
 * same-object re-export has no other moment to), then re-export the canonical object itself for
 * same-object and rename exports, and for the others the implementation in src/legacy seen through
 * a view that counts every use under this entry's own code (src/legacy/counted.ts).
 */
export function shimSource(entry: ManifestEntry, isClass = isLegacyClass): string {
  const toRoot = posix.relative(posix.dirname(shimPath(entry)), '.') || '.';
  const canonical = entry.exports.filter(
    (e) => e.rewrite === 'same-object' || e.rewrite === 'rename',
  );
  const delegating = entry.exports.filter(
    (e) => e.rewrite === 'call-rewrite' || e.rewrite === 'manual',
  );
  const specifier = (legacy: LegacyExport, source: string) =>
    `  /** ${deprecatedTag(entry, legacy)} */\n  ${source === legacy.name ? legacy.name : `${source} as ${legacy.name}`},\n`;
  const block = (exports: LegacyExport[], typeOnly: boolean) =>
    exports.length === 0
      ? ''
      : `export ${typeOnly ? 'type ' : ''}{\n${exports.map((e) => specifier(e, e.canonical ?? e.name)).join('')}} from '${toRoot}/src/index';\n`;
  const counted = delegating.map((e) => {
    const tag = `/** ${deprecatedTag(entry, e)} */\n`;
    const value = `${tag}export const ${e.name} = countedExport('${entry.code}', implementation.${e.name});\n`;
    return isClass(e.name)
      ? `${value}${tag}export type ${e.name} = implementation.${e.name};\n`
      : value;
  });
  return [
    `// Generated from ${MANIFEST_SOURCE} (${entry.code}) by \`npm run generate\`: do not edit.`,
    `// ${entry.summary}`,
    `import { reportModuleUse } from '${toRoot}/src/deprecation/index';`,
    ...(delegating.length > 0
      ? [
          `import { countedExport } from '${toRoot}/src/legacy/counted';`,
          `import * as implementation from '${toRoot}/src/legacy/index';`,
        ]
      : []),
    '',
    `reportModuleUse('${entry.code}');`,
    '',
    block(
      canonical.filter((e) => !e.typeOnly),
      false,
    ) +
      block(
        canonical.filter((e) => e.typeOnly),
        true,
      ) +
      counted.join(''),
  ].join('\n');
}
