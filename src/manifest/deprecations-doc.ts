import { SAMPLE_EVERY, SAMPLE_FIRST } from '../deprecation/runtime';
import { shimPath } from './shim-source';
import { CODEMOD_COMMAND, legacySpecifier, MANIFEST_SOURCE } from './render';
import type { Manifest } from './types';

const REWRITES: Record<string, string> = {
  'same-object': 'the same object: only the import path changes',
  rename: 'the same object under its canonical name',
  'call-rewrite':
    'calls are rewritten where the receiver is statically known; elsewhere a marker comment',
  stays: 'not deprecated: the name stays valid at the legacy path',
  manual:
    'no safe automatic rewrite: the codemod leaves a marker comment and the shim keeps working',
};

/** docs/deprecations.md, rendered from the manifest (test/meta checks the file against this). */
export function deprecationsDoc(manifest: Manifest): string {
  const lines = [
    '# Deprecations',
    '',
    `<!-- Generated from ${MANIFEST_SOURCE} by \`npm run generate\`: edit the manifest, not this file. -->`,
    '',
    `Every legacy entry point of \`${manifest.package}\` keeps working through a shim that reports its use`,
    'with the code below. Codes are stable; a retired code is never reused.',
    '',
    '## Policies, removal and telemetry',
    '',
    '- **Policy** per code and globally: `silent` (count only), `warn` (count, and display once per code',
    '  per process — the default), `throw` (count, then throw `DeprecatedUseError` with code',
    '  `UWS_ERR_DEPRECATED_USE`). Set it with `configureDeprecations({ policy, codes })` or the',
    '  environment: `UNIFIED_WS_DEPRECATIONS=throw`, or `UNIFIED_WS_DEPRECATIONS=UWS004=throw,*=silent`.',
    '  The environment wins over options (a code of its own wins over the global policy within each),',
    '  so operators can change it without a deploy. Silencing the display never stops counting.',
    "- **Display** is a `DeprecationWarning` with the code, so Node's `--no-deprecation`,",
    '  `--throw-deprecation`, `--trace-deprecation` and `--disable-warning=UWS004` apply.',
    "- **Removal**: once the running version of the package reaches an entry's removal version, every",
    '  use throws `DeprecatedUseError` with code `UWS_ERR_REMOVED`, naming the replacement and the codemod.',
    '- **Telemetry**: `deprecationSnapshot()` in process; a JSON-lines file',
    '  (`enableJsonLinesTelemetry({ path })` or `UNIFIED_WS_TELEMETRY_FILE`), one line per code and call',
    '  site per flush (every 10 s and at exit) with `count` as the uses since the previous flush — sum',
    '  them — plus an observation line (`"kind": "observation"`) for the time the process was watched,',
    '  so that `unified-ws report` can tell "unused for 7 days" from "not watched";',
    '  and `enableOpenTelemetry()`, an observable counter `unified_ws.deprecated_calls` with the',
    `  attributes code, entry point and removal version only. Call sites are captured on the first ${SAMPLE_FIRST}`,
    `  uses of a code, then on one use in ${SAMPLE_EVERY}; uses between two samples are attributed to the later.`,
    '- **Tests**: `expectDeprecation(code, fn)`, `withDeprecationsAllowed(codes, fn)`, `resetDeprecations()`.',
    '',
    '| code | legacy module | removal |',
    '| --- | --- | --- |',
    ...manifest.entries.map(
      (e) => `| [${e.code}](#${e.docs}) | \`${legacySpecifier(manifest, e)}\` | ${e.removeIn} |`,
    ),
    '',
  ];
  for (const entry of manifest.entries) {
    lines.push(
      `## ${entry.code}`,
      '',
      `<a id="${entry.docs}"></a>`,
      '',
      `**What:** \`${legacySpecifier(manifest, entry)}\` (\`${shimPath(entry)}\`). ${entry.summary}`,
      '',
      `**Why:** ${entry.why}`,
      '',
      '**Replacement:**',
      '',
      ...entry.exports.map(
        (e) =>
          `- \`${e.name}\`${e.typeOnly ? ' (type)' : ''} → ${e.replacement} — ${REWRITES[e.rewrite]}.`,
      ),
      '',
      `**Codemod:** \`${CODEMOD_COMMAND}\`, or \`npx unified-ws migrate --step ${entry.code}\`.`,
      '',
      `**Since:** ${entry.since} (the canonical replacement exists). **Removal:** ${entry.removeIn} (use throws \`UWS_ERR_REMOVED\`).`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
