import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseManifest } from '../../src/manifest/from-json';
import { useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');

/** The forms eslint-plugin-unicorn's prefer-node-protocol fixes, in a file of our own. */
const SOURCE = [
  "import { readFileSync } from 'fs';",
  "import * as fsNs from 'fs';",
  "import defaultFs from 'fs';",
  "export { statSync } from 'fs';",
  "export * from 'fs';",
  "const lazy = () => import('fs');",
  "const { existsSync } = require('fs');",
  "const whole = require('fs');",
  "import { fancy } from 'not-a-builtin';",
  'export const all = [readFileSync, fsNs, defaultFs, lazy, existsSync, whole, fancy];',
  '',
].join('\n');

/** eslint-plugin-unicorn's own fix, run by ESLint in a child process (the plugin is ESM-only). */
function unicornFix(root: string, file: string): string {
  const script = `
    import { ESLint } from 'eslint';
    import unicorn from 'eslint-plugin-unicorn';
    const eslint = new ESLint({
      cwd: ${JSON.stringify(root)},
      overrideConfigFile: true,
      fix: true,
      overrideConfig: [{
        plugins: { unicorn },
        rules: { 'unicorn/prefer-node-protocol': 'error' },
        languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
      }],
    });
    const [result] = await eslint.lintFiles([${JSON.stringify(file)}]);
    if (result.messages.some((m) => m.fatal)) throw new Error(JSON.stringify(result.messages));
    process.stdout.write(result.output ?? '');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe('fs → node:fs, against eslint-plugin-unicorn’s prefer-node-protocol', () => {
  const defer = useCleanup();

  it('gives the same bytes as the rule, and also moves export *, which the rule leaves', () => {
    const root = mkdtempSync(join(tmpdir(), 'uws-node-protocol-'));
    defer(() => rmSync(root, { recursive: true, force: true }));
    const file = join(root, 'app.mjs');
    writeFileSync(file, SOURCE);
    const manifest = parseManifest(
      readFileSync(join(ROOT, 'docs', 'examples', 'node-protocol.json'), 'utf8'),
    );
    const ours = legacyToCanonical(SOURCE, file, new ModuleResolver(manifest, { root }));
    expect(ours.markers).toEqual([]);
    expect(ours.output).not.toBe(SOURCE);
    // The rule leaves `export * from 'fs'` as it is; the manifest's "*" moves that form too.
    const theirs = unicornFix(root, file);
    expect(theirs).toContain("export * from 'fs';");
    expect(ours.output).toBe(theirs.replace("export * from 'fs';", "export * from 'node:fs';"));
  });
});
