import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { MANIFEST } from '../../src/manifest/builtin';
import { useCleanup } from '../helpers';

// Names that move with `//` comments into a one-line canonical import break it to one specifier a
// line. The fixtures (codemods/__testfixtures__/legacy-to-canonical/line-comments-*) cover a
// project without a prettier config; these cover one with a config, whose style wins over the
// file's, and what the file then looks like to prettier itself.

const PRETTIER = join(__dirname, '..', '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('line comments moved into a one-line import', () => {
  const defer = useCleanup();

  /**
   * The rewrite of `source` as file.ts of a project with `config` as its .prettierrc.json, written
   * back; with whether prettier --check finds it formatted.
   */
  function migrate(
    config: Record<string, unknown> | undefined,
    source: string,
  ): { output: string; prettierClean: boolean } {
    const root = mkdtempSync(join(tmpdir(), 'uws-line-comments-'));
    defer(() => rmSync(root, { recursive: true, force: true }));
    if (config) writeFileSync(join(root, '.prettierrc.json'), JSON.stringify(config));
    const file = join(root, 'file.ts');
    const resolver = new ModuleResolver(MANIFEST, { root });
    const { output } = legacyToCanonical(source, file, resolver);
    expect(legacyToCanonical(output, file, resolver).output).toBe(output);
    writeFileSync(file, output);
    const check = spawnSync(process.execPath, [PRETTIER, '--check', 'file.ts'], { cwd: root });
    return { output, prettierClean: check.status === 0 };
  }

  it.each([
    [{ singleQuote: true, useTabs: true, trailingComma: 'none' }, '\t', ''],
    [{ singleQuote: true, tabWidth: 4, trailingComma: 'es5' }, '    ', ','],
    [{ singleQuote: true }, '  ', ','],
  ])('follows the prettier config %j, as prettier prints the result', (config, step, comma) => {
    // The legacy list is laid out unlike the config: the config decides the new layout.
    const source = lines(
      "import { MessageRouter } from 'unified-ws';",
      'import {',
      ' // the manager class',
      ' WebSocketManager,',
      ' getWebSocketManager, // looked up at use time',
      "} from 'unified-ws/websocket-core/websocket-manager';",
      '',
      'export const parts = [MessageRouter, WebSocketManager, getWebSocketManager];',
    );
    const { output, prettierClean } = migrate(config, source);
    expect(output).toBe(
      lines(
        'import {',
        `${step}MessageRouter,`,
        `${step}// the manager class`,
        `${step}WebSocketManager,`,
        `${step}getWebSocketManager${comma} // looked up at use time`,
        "} from 'unified-ws';",
        '',
        'export const parts = [MessageRouter, WebSocketManager, getWebSocketManager];',
      ),
    );
    expect(prettierClean).toBe(true);
  });

  it('keeps only block comments inline, on one line', () => {
    const source = lines(
      "import { MessageRouter } from 'unified-ws';",
      'import {',
      '  /* the class */ WebSocketManager,',
      '  getWebSocketManager /* at use time */,',
      "} from 'unified-ws/websocket-core/websocket-manager';",
      '',
      'export const parts = [MessageRouter, WebSocketManager, getWebSocketManager];',
    );
    expect(migrate(undefined, source).output).toBe(
      lines(
        "import { MessageRouter, /* the class */ WebSocketManager, getWebSocketManager /* at use time */ } from 'unified-ws';",
        '',
        'export const parts = [MessageRouter, WebSocketManager, getWebSocketManager];',
      ),
    );
  });

  it('breaks the list with the line breaks of a CRLF file', () => {
    const source = lines(
      "import { MessageRouter } from 'unified-ws';",
      'import {',
      '  WebSocketManager, // the manager class',
      "} from 'unified-ws/websocket-core/websocket-manager';",
      'export const parts = [MessageRouter, WebSocketManager];',
    ).replace(/\n/g, '\r\n');
    expect(migrate(undefined, source).output).toBe(
      lines(
        'import {',
        '  MessageRouter,',
        '  WebSocketManager, // the manager class',
        "} from 'unified-ws';",
        'export const parts = [MessageRouter, WebSocketManager];',
      ).replace(/\n/g, '\r\n'),
    );
  });

  it("keeps the target's own comments: inline ones with their specifier, a dangling one before }", () => {
    const source = lines(
      "import { /* inbound */ MessageRouter, ToolDispatcher /* tools */, /* more to come */ } from 'unified-ws';",
      'import {',
      '  getWebSocketManager, // looked up at use time',
      "} from 'unified-ws/websocket-core/websocket-manager';",
      '',
      'export const parts = [MessageRouter, ToolDispatcher, getWebSocketManager];',
    );
    expect(migrate(undefined, source).output).toBe(
      lines(
        'import {',
        '  /* inbound */ MessageRouter,',
        '  ToolDispatcher /* tools */,',
        '  getWebSocketManager, // looked up at use time',
        '  /* more to come */',
        "} from 'unified-ws';",
        '',
        'export const parts = [MessageRouter, ToolDispatcher, getWebSocketManager];',
      ),
    );
  });
});
