import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCodemod } from '../../src/migration/runner';
import { useCleanup } from '../helpers';

const PRETTIER = join(__dirname, '..', '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');

/** A project formatted by prettier, with imports that merging, removing and moving disturb. */
const FILES: Record<string, string> = {
  '.prettierrc.json': '{ "printWidth": 72, "singleQuote": true, "trailingComma": "all" }\n',
  'src/merge-breaks.ts': [
    "import { MessageRouter, ToolDispatcher } from 'unified-ws';",
    "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';",
    "import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';",
    '',
    'export const parts = [MessageRouter, ToolDispatcher, getWebSocketManager];',
    'export const M = UnifiedWebSocketManager;',
    '',
  ].join('\n'),
  'src/collapses.ts': [
    'import {',
    '  LegacyWebSocketManagerAdapter,',
    '  WebSocketManagerProtocol,',
    "} from 'unified-ws/websocket-core/protocols';",
    '',
    'export type P = WebSocketManagerProtocol;',
    'export const adapter = new LegacyWebSocketManagerAdapter();',
    'adapter.sendToUser("u", { type: "note" });',
    '',
  ].join('\n'),
  'src/removed.ts': [
    "import { WebSocketManager } from 'unified-ws';",
    '',
    "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';",
    '',
    'export const parts = [WebSocketManager, getWebSocketManager];',
    '',
  ].join('\n'),
  'src/commented.ts': [
    'import {',
    '  MessageRouter, // inbound',
    '  ToolDispatcher,',
    "} from 'unified-ws';",
    'import {',
    '  // the class',
    '  WebSocketManager,',
    '  getWebSocketManager, // at use time',
    "} from 'unified-ws/websocket-core/websocket-manager';",
    '',
    'export const parts = [',
    '  MessageRouter,',
    '  ToolDispatcher,',
    '  WebSocketManager,',
    '  getWebSocketManager,',
    '];',
    '',
  ].join('\n'),
};

function prettierCheck(root: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [PRETTIER, '--check', 'src'], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('a prettier-formatted project', () => {
  const defer = useCleanup();

  it('stays clean under prettier --check after the migration', async () => {
    const root = mkdtempSync(join(tmpdir(), 'uws-prettier-'));
    defer(() => rmSync(root, { recursive: true, force: true }));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    // The fixture is formatted the way the project's prettier formats it, as a real project is.
    spawnSync(process.execPath, [PRETTIER, '--write', 'src'], { cwd: root });
    expect(prettierCheck(root).status).toBe(0);
    const before = Object.fromEntries(
      Object.keys(FILES).map((path) => [path, readFileSync(join(root, path), 'utf8')]),
    );

    const report = await runCodemod({ root, workers: 1 });
    expect(report.counts.changed).toBe(4);
    expect(prettierCheck(root)).toEqual({ status: 0, output: expect.any(String) });

    const merged = readFileSync(join(root, 'src/merge-breaks.ts'), 'utf8');
    expect(merged).toContain(
      "import {\n  MessageRouter,\n  ToolDispatcher,\n  getWebSocketManager,\n  WebSocketManager as UnifiedWebSocketManager,\n} from 'unified-ws';\n",
    );
    expect(readFileSync(join(root, 'src/removed.ts'), 'utf8')).toBe(
      "import { WebSocketManager, getWebSocketManager } from 'unified-ws';\n\nexport const parts = [WebSocketManager, getWebSocketManager];\n",
    );
    const commented = readFileSync(join(root, 'src/commented.ts'), 'utf8');
    expect(commented).toContain('  MessageRouter, // inbound\n');
    expect(commented).toContain('  // the class\n  WebSocketManager,\n');
    expect(commented).toContain('  getWebSocketManager, // at use time\n');
    expect(before['src/collapses.ts']).toContain('import {\n');
  });
});
