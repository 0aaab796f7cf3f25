import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { MANIFEST } from '../../src/manifest/builtin';
import { useCleanup } from '../helpers';

// Names that move out of a legacy import that partly stays go into a canonical import created
// after it, with their comments. The fixtures (legacy-to-canonical/moved-*) cover a project without
// a prettier config; these cover one with a config, whose style lays the new import out.

const lines = (...text: string[]) => `${text.join('\n')}\n`;

const MARKER =
  '// unified-ws(UWS002): the manifest does not map WebSocketManagerOptions of unified-ws/websocket-core/websocket-manager; left…; see docs/deprecations.md#uws002';

describe('comments of names moved into a new canonical import', () => {
  const defer = useCleanup();

  /** The rewrite of `source` as file.ts of a project with `config` as its .prettierrc.json. */
  function migrate(config: Record<string, unknown>, source: string): string {
    const root = mkdtempSync(join(tmpdir(), 'uws-moved-comments-'));
    defer(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(join(root, '.prettierrc.json'), JSON.stringify(config));
    const file = join(root, 'file.ts');
    const resolver = new ModuleResolver(MANIFEST, { root });
    const { output } = legacyToCanonical(source, file, resolver);
    expect(legacyToCanonical(output, file, resolver).output).toBe(output);
    return output;
  }

  it('breaks the new import for a `//` comment in the style of the prettier config', () => {
    const source = lines(
      'import {',
      '\t// the manager class',
      '\tWebSocketManager,',
      '\tgetWebSocketManager, // looked up at use time',
      '\tWebSocketManagerOptions',
      "} from 'unified-ws/websocket-core/websocket-manager';",
      '',
      'export const parts = [WebSocketManager, getWebSocketManager];',
      'export type Options = WebSocketManagerOptions;',
    );
    const config = { singleQuote: true, useTabs: true, trailingComma: 'none' };
    expect(migrate(config, source)).toBe(
      lines(
        MARKER,
        'import {',
        '\tWebSocketManagerOptions',
        "} from 'unified-ws/websocket-core/websocket-manager';",
        'import {',
        '\t// the manager class',
        '\tWebSocketManager,',
        '\tgetWebSocketManager // looked up at use time',
        "} from 'unified-ws';",
        '',
        'export const parts = [WebSocketManager, getWebSocketManager];',
        'export type Options = WebSocketManagerOptions;',
      ),
    );
  });

  it('keeps block comments inline, and breaks the line only past printWidth', () => {
    const source = lines(
      "import { /* the class */ WebSocketManager, getWebSocketManager /* at use time */, WebSocketManagerOptions } from 'unified-ws/websocket-core/websocket-manager';",
      '',
      'export const parts = [WebSocketManager, getWebSocketManager];',
      'export type Options = WebSocketManagerOptions;',
    );
    const kept =
      "import { WebSocketManagerOptions } from 'unified-ws/websocket-core/websocket-manager';";
    expect(migrate({ singleQuote: true, printWidth: 120 }, source)).toBe(
      lines(
        MARKER,
        kept,
        "import { /* the class */ WebSocketManager, getWebSocketManager /* at use time */ } from 'unified-ws';",
        '',
        'export const parts = [WebSocketManager, getWebSocketManager];',
        'export type Options = WebSocketManagerOptions;',
      ),
    );
    expect(migrate({ singleQuote: true, printWidth: 80, tabWidth: 4 }, source)).toBe(
      lines(
        MARKER,
        kept,
        'import {',
        '    /* the class */',
        '    WebSocketManager,',
        '    getWebSocketManager, /* at use time */',
        "} from 'unified-ws';",
        '',
        'export const parts = [WebSocketManager, getWebSocketManager];',
        'export type Options = WebSocketManagerOptions;',
      ),
    );
  });

  it('keeps the comments of two names that become one specifier', () => {
    // Both call rewrites need getWebSocketManager: one specifier, both comments.
    const source = lines(
      'import {',
      '  WebSocketManagerFactory, // the factory',
      '  createWebSocketManager, // the function',
      '  WebSocketManagerFactoryOptions,',
      "} from 'unified-ws/websocket-core/websocket-manager-factory';",
      '',
      'export const a = WebSocketManagerFactory.getManager();',
      'export const b = createWebSocketManager(ctx);',
      'export type Options = WebSocketManagerFactoryOptions;',
    );
    const output = migrate({ singleQuote: true }, source);
    expect(output.split('\n').slice(1, 9)).toEqual([
      'import {',
      '  WebSocketManagerFactoryOptions,',
      "} from 'unified-ws/websocket-core/websocket-manager-factory';",
      'import {',
      '  // the function',
      '  getWebSocketManager, // the factory',
      "} from 'unified-ws';",
      '',
    ]);
  });
});
