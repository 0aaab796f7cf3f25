import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MANIFEST } from '../../src/manifest/builtin';

const ROOT = join(__dirname, '..', '..');

/** Runs code in a fresh Node process inside the package, so `unified-ws/*` resolves through `exports`. */
function node(args: string[]) {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, UNIFIED_WS_DEPRECATIONS: 'silent' },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as unknown;
}

const values = MANIFEST.entries.map(
  (entry) =>
    [
      `unified-ws/${entry.module}`,
      entry.exports
        .filter((e) => !e.typeOnly)
        .map((e) => e.name)
        .sort(),
    ] as const,
);

describe('package.json exports, from outside', () => {
  it('lets ESM consumers import every legacy subpath with its named exports, sharing one instance with the root', () => {
    const script = `
      import * as root from 'unified-ws';
      const out = {};
      for (const [specifier] of ${JSON.stringify(values)}) out[specifier] = Object.keys(await import(specifier)).filter((k) => k !== 'default' && k !== '__esModule').sort();
      const legacy = await import('unified-ws/websocket-core/unified-manager');
      out.same = legacy.UnifiedWebSocketManager === root.WebSocketManager;
      console.log(JSON.stringify(out));`;
    const out = node(['--input-type=module', '-e', script]) as Record<string, unknown>;
    for (const [specifier, names] of values) expect(out[specifier]).toEqual(names);
    expect(out.same).toBe(true);
  });

  it('lets CommonJS consumers require every legacy subpath', () => {
    const script = `
      const out = {};
      for (const [specifier] of ${JSON.stringify(values)}) out[specifier] = Object.keys(require(specifier)).sort();
      out.same = require('unified-ws/agents/supervisor/agent-registry').WebSocketManagerAdapter !== undefined
        && require('unified-ws/scripts/websocket-notifier-rollback-utility').WebSocketNotifier.prototype === require('unified-ws/services/agent-websocket-bridge').WebSocketNotifier.prototype;
      console.log(JSON.stringify(out));`;
    const out = node(['-e', script]) as Record<string, unknown>;
    for (const [specifier, names] of values) expect(out[specifier]).toEqual(names);
    expect(out.same).toBe(true);
  });

  it('exports the ESLint config and the client', () => {
    const out = node([
      '-e',
      "console.log(JSON.stringify([require('unified-ws/eslint').default.name, typeof require('unified-ws/client').UnifiedWsClient]))",
    ]);
    expect(out).toEqual(['unified-ws/no-legacy-imports', 'function']);
  });
});
