import { DeprecatedUseError } from '../../src/errors/deprecated-use-error';
import {
  configureDeprecations,
  deprecatedModule,
  reportModuleUse,
  resetDeprecations,
  type DeprecatedModule,
} from '../../src/deprecation/index';
import { isManifestError } from '../../src/errors/manifest-error';
import { MANIFEST } from '../../src/manifest/builtin';
import { parseManifest } from '../../src/manifest/from-json';
import {
  codemodHint,
  deprecationMessage,
  replacementSummary,
  teamDeprecatedTag,
} from '../../src/manifest/render';
import { deprecatedTag } from '../../src/manifest/shim-source';
import type { LegacyExportJson } from '../../src/manifest/types';
import { useCleanup } from '../helpers';

// The texts of a team's own entry (its shim's @deprecated tags, its runtime warning, its
// DeprecatedUseError) name the team's manifest — `unified-ws migrate --manifest <file>` for what
// the codemod moves, nothing about a codemod for a manual export, the manifest's docs — never
// unified-ws's legacy-to-canonical codemod or docs/deprecations.md; a `stays` export is not listed.
// unified-ws's own texts do not change.

const EXPORTS: LegacyExportJson[] = [
  {
    name: 'SocketHub',
    rewrite: 'rename',
    canonical: 'WebSocketManager',
    replacement: "import { WebSocketManager } from 'unified-ws'",
  },
  { name: 'formatFrame', rewrite: 'manual', replacement: "your logger's formatting" },
  { name: '*', rewrite: 'stays' },
];

const entryOf = (exports: LegacyExportJson[], docs?: string) => {
  const manifest = parseManifest({
    package: '@acme/chat',
    canonical: 'unified-ws',
    ...(docs === undefined ? {} : { docs }),
    entries: [
      {
        code: 'ACME031',
        files: ['src/hub.ts'],
        summary: 'S.',
        since: '1.0.0',
        removeIn: '2.0.0',
        exports,
      },
    ],
  });
  return { manifest, entry: manifest.entries[0] as (typeof manifest.entries)[number] };
};

describe("a team's texts", () => {
  const defer = useCleanup();

  it('@deprecated: the migrate command of its manifest for a moved export, the docs for a manual one', () => {
    const { entry } = entryOf(EXPORTS, 'docs/migrations.md');
    const [hub, format] = entry.exports as [never, never];
    const source = { file: 'tools/consolidation.json', docs: 'docs/migrations.md' };
    expect(teamDeprecatedTag(source, entry, hub)).toBe(
      "@deprecated ACME031: use import { WebSocketManager } from 'unified-ws'. Run `unified-ws migrate --manifest tools/consolidation.json`; see docs/migrations.md#acme031",
    );
    expect(teamDeprecatedTag(source, entry, format)).toBe(
      "@deprecated ACME031: use your logger's formatting. See docs/migrations.md#acme031",
    );
    // Without docs, the manifest file is where the entry is explained.
    expect(teamDeprecatedTag({ file: 'consolidation.json' }, entry, format)).toBe(
      "@deprecated ACME031: use your logger's formatting. See consolidation.json",
    );
  });

  it('the warning and the error: no "unchanged: not deprecated", no unified-ws codemod or docs', () => {
    const { entry } = entryOf(EXPORTS);
    expect(replacementSummary(entry)).toBe(
      "SocketHub → import { WebSocketManager } from 'unified-ws'; formatFrame → your logger's formatting",
    );
    expect(deprecationMessage('src/hub.ts', entry, { file: 'consolidation.json' })).toBe(
      "src/hub.ts is deprecated: SocketHub → import { WebSocketManager } from 'unified-ws'; formatFrame → your logger's formatting. Run `unified-ws migrate --manifest consolidation.json`.",
    );
    expect(codemodHint(entry, { file: 'consolidation.json' })).toBe(
      'npx unified-ws migrate --manifest consolidation.json --step ACME031',
    );
    // Only manual exports: nothing about a codemod.
    const manual = entryOf(
      [EXPORTS[1] as LegacyExportJson],
      'https://wiki.acme.test/cleanup',
    ).entry;
    expect(
      deprecationMessage('src/hub.ts', manual, {
        file: 'consolidation.json',
        docs: 'https://wiki.acme.test/cleanup',
      }),
    ).toBe(
      "src/hub.ts is deprecated: formatFrame → your logger's formatting. See https://wiki.acme.test/cleanup#acme031.",
    );
    expect(codemodHint(manual, { file: 'consolidation.json' })).toBe(
      'by hand (no automatic rewrite); see consolidation.json',
    );
  });

  it("unified-ws's own texts stay as they are", () => {
    const entry = MANIFEST.entries[0] as (typeof MANIFEST.entries)[number];
    const exp = entry.exports[0] as (typeof entry.exports)[number];
    expect(deprecatedTag(entry, exp)).toBe(
      `@deprecated ${entry.code}: use ${exp.replacement}. Run the legacy-to-canonical codemod; see docs/deprecations.md#${entry.docs}`,
    );
    expect(deprecationMessage('x', entry)).toBe(
      `x is deprecated: ${replacementSummary(entry)}. Migrate with the legacy-to-canonical codemod; see docs/deprecations.md#${entry.docs}.`,
    );
  });

  describe('deprecatedModule with the manifest it was generated from', () => {
    const declaration: DeprecatedModule = {
      package: '@acme/chat',
      canonical: 'unified-ws',
      manifest: { file: 'consolidation.json', docs: 'docs/migrations.md' },
      code: 'ACME032',
      files: ['src/hub.ts'],
      summary: 'S.',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: EXPORTS,
    };

    beforeEach(() => resetDeprecations());

    it('warns with its command and docs, and throws with them under policy throw', () => {
      configureDeprecations({ policy: 'warn' });
      const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      defer(() => spy.mockRestore());
      deprecatedModule(declaration);
      const [warning] = spy.mock.calls[0] as [Error];
      expect(warning.message).toBe(
        "src/hub.ts is deprecated: SocketHub → import { WebSocketManager } from 'unified-ws'; formatFrame → your logger's formatting. Run `unified-ws migrate --manifest consolidation.json`; see docs/migrations.md#acme032.",
      );
      configureDeprecations({ policy: 'throw' });
      let thrown: unknown;
      try {
        reportModuleUse('ACME032');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DeprecatedUseError);
      expect((thrown as DeprecatedUseError).codemod).toBe(
        'npx unified-ws migrate --manifest consolidation.json --step ACME032; see docs/migrations.md#acme032',
      );
    });

    it('refuses a manifest reference that is not one', () => {
      for (const manifest of [[], { file: 3 }, { docs: 'docs/x.md#anchor' }]) {
        let thrown: unknown;
        try {
          deprecatedModule({ ...declaration, manifest } as unknown as DeprecatedModule);
        } catch (error) {
          thrown = error;
        }
        expect(isManifestError(thrown)).toBe(true);
      }
    });
  });
});
