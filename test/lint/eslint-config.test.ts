import { ESLint } from 'eslint';
import eslintConfig, { legacyImportsConfig } from '../../src/lint/eslint-config';
import { MANIFEST } from '../../src/manifest/builtin';
import { parseManifest } from '../../src/manifest/from-json';

async function lint(code: string, config = eslintConfig) {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [config, { languageOptions: { sourceType: 'module', ecmaVersion: 'latest' } }],
  });
  const [result] = await eslint.lintText(code, { filePath: 'consumer.mjs' });
  return result?.messages ?? [];
}

describe('the exported ESLint config', () => {
  it.each(MANIFEST.entries.map((e) => [e.code, e.module] as const))(
    'reports an import of %s with its code and the canonical import',
    async (code, module) => {
      const messages = await lint(`import { x } from 'unified-ws/${module}';\nexport { x };\n`);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ ruleId: 'no-restricted-imports', severity: 2, line: 1 });
      expect(messages[0]?.message).toContain(code);
      expect(messages[0]?.message).toContain("import from 'unified-ws'");
    },
  );

  it('accepts the canonical import', async () => {
    expect(
      await lint("import { WebSocketManager } from 'unified-ws';\nexport { WebSocketManager };\n"),
    ).toEqual([]);
  });

  it('is built from a user manifest too', async () => {
    const config = legacyImportsConfig({
      package: '@acme/realtime',
      canonical: '@acme/realtime',
      entries: [
        {
          code: 'ACME1',
          module: 'old-socket',
          summary: 's',
          why: 'w',
          since: '1.0.0',
          removeIn: '2.0.0',
          docs: 'acme1',
          exports: [{ name: 'Old', rewrite: 'manual', replacement: 'New' }],
        },
      ],
    });
    const messages = await lint(
      "import { Old } from '@acme/realtime/old-socket';\nexport { Old };\n",
      config,
    );
    expect(messages[0]?.message).toContain('ACME1');
    // A team's repository has no docs/deprecations.md: without a docs base, no link at all.
    expect(messages[0]?.message).not.toContain('docs/deprecations.md');
  });

  it.each([
    [
      'a listed move',
      [{ name: 'moved', rewrite: 'same-object', canonical: 'moved', replacement: 'moved' }],
    ],
    ['a "*" move', [{ name: '*', rewrite: 'same-object' }]],
  ])(
    'leaves names that stay allowed next to %s, and names the entry’s own target',
    async (_what, moves) => {
      const config = legacyImportsConfig(
        parseManifest({
          package: 'old-lib',
          canonical: 'new-lib',
          entries: [
            {
              code: 'LIB1',
              module: 'utils',
              canonical: 'utils-lib',
              summary: 's',
              since: '1.0.0',
              removeIn: '2.0.0',
              exports: [{ name: 'keep', rewrite: 'stays' }, ...moves],
            },
          ],
        }),
      );
      expect(
        await lint("import { keep } from 'old-lib/utils';\nexport { keep };\n", config),
      ).toEqual([]);
      const messages = await lint(
        "import { moved } from 'old-lib/utils';\nexport { moved };\n",
        config,
      );
      expect(messages).toHaveLength(1);
      expect(messages[0]?.message).toContain("LIB1: import from 'utils-lib' instead");
    },
  );
});
