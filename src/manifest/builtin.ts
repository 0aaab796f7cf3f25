import { DEPRECATIONS_DOC } from './render';
import type { LegacyExport, Manifest, ManifestEntry } from './types';

/**
 * The one source of truth about the legacy surface: one entry per legacy entry point. The shims,
 * the deprecation runtime (what a code means), docs/deprecations.md, package.json `exports`, the
 * ESLint config and the codemods all read it; test/meta/manifest.test.ts proves they agree.
 *
 * Codes are stable: a retired code is never reused (RETIRED_CODES below), new entries take the
 * next number.
 */

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const SINCE = '0.1.0';
const REMOVE_IN = '2.0.0';
const ROOT = "import { … } from 'unified-ws'";

const same = (name: string, typeOnly = false): LegacyExport => ({
  name,
  rewrite: 'same-object',
  canonical: name,
  replacement: `import { ${name} } from 'unified-ws'`,
  ...(typeOnly ? { typeOnly } : {}),
});

const rename = (name: string, canonical: string, typeOnly = false): LegacyExport => ({
  name,
  rewrite: 'rename',
  canonical,
  replacement: `import { ${canonical} } from 'unified-ws'`,
  ...(typeOnly ? { typeOnly } : {}),
});

const NOTIFY =
  'manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete';

function entry(
  number: number,
  module: string,
  summary: string,
  why: string,
  exports: LegacyExport[],
): ManifestEntry {
  const code = `UWS${String(number).padStart(3, '0')}`;
  return {
    code,
    module,
    summary,
    why,
    exports,
    since: SINCE,
    removeIn: REMOVE_IN,
    docs: code.toLowerCase(),
  };
}

const DUPLICATE_MANAGER =
  'A second import path to the one manager; every manager-shaped module is now the canonical WebSocketManager.';
const PER_CALL =
  'Factories created a manager (or bridge) per call: they leaked, and two managers raced for one connection.';
const EVENTS =
  'Agent events sent through several notifiers and bridges were lost or reordered; AgentRun checks their order.';
const ROUTERS =
  'Three routers each took part of the inbound traffic; there is now one MessageRouter per manager.';
const TOOLS =
  'Four tool dispatchers emitted tool events differently; ToolDispatcher brackets every call the same way.';
const ENGINES =
  'Three execution-engine factories built contexts differently; ExecutionEngine isolates each user and run.';

export const MANIFEST: Manifest = deepFreeze({
  package: 'unified-ws',
  canonical: 'unified-ws',
  docs: DEPRECATIONS_DOC,
  entries: [
    entry(
      1,
      'websocket-core/unified-manager',
      'The "unified" manager class, under its old name.',
      DUPLICATE_MANAGER,
      [rename('UnifiedWebSocketManager', 'WebSocketManager')],
    ),
    entry(
      2,
      'websocket-core/websocket-manager',
      'The manager module of the compatibility layer.',
      DUPLICATE_MANAGER,
      [same('WebSocketManager'), same('getWebSocketManager'), same('UserContext', true)],
    ),
    entry(
      3,
      'websocket-core/manager',
      'The legacy manager module and its module-level instance.',
      DUPLICATE_MANAGER,
      [
        same('WebSocketManager'),
        {
          name: 'websocketManager',
          rewrite: 'call-rewrite',
          replacement:
            "getWebSocketManager() from 'unified-ws' (websocketManager.x → getWebSocketManager().x)",
          calls: { import: 'getWebSocketManager', value: '{import}()' },
        },
      ],
    ),
    entry(
      4,
      'websocket-core/websocket-manager-factory',
      'The per-call manager factory.',
      PER_CALL,
      [
        {
          name: 'WebSocketManagerFactory',
          rewrite: 'call-rewrite',
          replacement:
            'getWebSocketManager().forUser(ctx) for createManager(ctx); getWebSocketManager() for getManager()',
          calls: {
            import: 'getWebSocketManager',
            members: { createManager: '{import}().forUser', getManager: '{import}' },
          },
        },
        {
          name: 'createWebSocketManager',
          rewrite: 'call-rewrite',
          replacement: 'getWebSocketManager().forUser(ctx)',
          calls: { import: 'getWebSocketManager', call: '{import}().forUser' },
        },
      ],
    ),
    entry(
      5,
      'websocket-core/protocols',
      'The manager protocol type and the legacy adapter.',
      DUPLICATE_MANAGER,
      [
        rename('WebSocketManagerProtocol', 'WebSocketManager', true),
        {
          name: 'LegacyWebSocketManagerAdapter',
          rewrite: 'call-rewrite',
          replacement:
            'manager.forUser(userId).send(type, payload), manager.isConnected(userId), manager.connectionCount(userId)',
          // sendToUser returns a boolean where send returns a promise and takes the payload apart:
          // no rewrite, so a use of it keeps the adapter on its shim.
          calls: {
            import: 'getWebSocketManager',
            instance: {
              isUserConnected: '{receiver}.isConnected',
              getConnectionCount: '{receiver}.connectionCount',
            },
          },
        },
      ],
    ),
    entry(
      6,
      'agents/supervisor/agent-registry',
      'The agent registry’s WebSocket adapter.',
      EVENTS,
      [{ name: 'WebSocketManagerAdapter', rewrite: 'call-rewrite', replacement: NOTIFY }],
    ),
    entry(
      7,
      'services/agent-websocket-bridge',
      'The agent WebSocket bridge and its notifier.',
      EVENTS,
      [
        { name: 'WebSocketNotifier', rewrite: 'call-rewrite', replacement: NOTIFY },
        { name: 'AgentWebSocketBridge', rewrite: 'call-rewrite', replacement: NOTIFY },
      ],
    ),
    entry(
      8,
      'scripts/websocket-notifier-rollback-utility',
      'The duplicate notifier of the rollback script.',
      EVENTS,
      [{ name: 'WebSocketNotifier', rewrite: 'call-rewrite', replacement: NOTIFY }],
    ),
    entry(9, 'services/websocket-bridge-factory', 'The deprecated bridge factory.', PER_CALL, [
      { name: 'WebSocketBridgeFactory', rewrite: 'call-rewrite', replacement: NOTIFY },
    ]),
    entry(10, 'factories/websocket-bridge-factory', 'The bridge factory’s second home.', PER_CALL, [
      { name: 'WebSocketBridgeFactory', rewrite: 'call-rewrite', replacement: NOTIFY },
    ]),
    entry(
      11,
      'agents/supervisor/execution-engine-factory',
      'The supervisor’s execution-engine factory.',
      ENGINES,
      [
        {
          name: 'ExecutionEngineFactory',
          rewrite: 'manual',
          replacement: 'new ExecutionEngine({ manager, agents, tools }).execute(ctx, request)',
        },
      ],
    ),
    entry(
      12,
      'core/managers/execution-engine-factory',
      'The compatibility copy of the execution-engine factory.',
      ENGINES,
      [
        {
          name: 'ExecutionEngineFactory',
          rewrite: 'manual',
          replacement: 'new ExecutionEngine({ manager, agents, tools }).execute(ctx, request)',
        },
      ],
    ),
    entry(
      13,
      'agents/execution-engine-unified-factory',
      'The migration-era "unified" engine factory.',
      ENGINES,
      [
        {
          name: 'UnifiedExecutionEngineFactory',
          rewrite: 'manual',
          replacement: 'new ExecutionEngine({ manager, agents, tools }).execute(ctx, request)',
        },
      ],
    ),
    entry(14, 'websocket-core/handlers', 'The handler-table router.', ROUTERS, [
      {
        name: 'MessageRouter',
        rewrite: 'manual',
        replacement: 'manager.router.on(type, (payload, { userId, message }) => …)',
      },
    ]),
    entry(15, 'websocket-core/message-router', 'The context-passing message router.', ROUTERS, [
      {
        name: 'WebSocketMessageRouter',
        rewrite: 'manual',
        replacement: 'manager.router.on(type, (payload, { user, message }) => …)',
      },
    ]),
    entry(
      16,
      'services/websocket/message-router',
      'The services copy of the handler-table router.',
      ROUTERS,
      [
        {
          name: 'MessageRouter',
          rewrite: 'manual',
          replacement: 'manager.router.on(type, (payload, { userId, message }) => …)',
        },
      ],
    ),
    entry(17, 'agents/tool-dispatcher', 'The first tool dispatcher.', TOOLS, [
      {
        name: 'ToolDispatcher',
        rewrite: 'manual',
        replacement: `${ROOT.replace('…', 'ToolDispatcher')}: register(name, tool), dispatch(run, name, input)`,
      },
    ]),
    entry(18, 'agents/unified-tool-dispatcher', 'The "unified" tool dispatcher.', TOOLS, [
      {
        name: 'UnifiedToolDispatcher',
        rewrite: 'manual',
        replacement: `${ROOT.replace('…', 'ToolDispatcher')}: register(name, tool), dispatch(run, name, input)`,
      },
    ]),
    entry(19, 'agents/request-scoped-tool-dispatcher', 'The per-request tool dispatcher.', TOOLS, [
      {
        name: 'RequestScopedToolDispatcher',
        rewrite: 'manual',
        replacement: `${ROOT.replace('…', 'ToolDispatcher')}: dispatch(manager.forUser(ctx).agentRun({ runId: ctx.runId }), name, input)`,
      },
    ]),
    entry(20, 'agents/enhanced-tool-dispatcher', 'The "enhanced" tool dispatcher.', TOOLS, [
      {
        name: 'EnhancedToolDispatcher',
        rewrite: 'manual',
        replacement: `${ROOT.replace('…', 'ToolDispatcher')}: dispatch(run, name, input)`,
      },
    ]),
  ],
});

/** Codes that were used once and retired: never to be given to a new entry. */
export const RETIRED_CODES: readonly string[] = Object.freeze([]);

export type DeprecationCode = `UWS${string}`;

const BY_CODE = new Map(MANIFEST.entries.map((e) => [e.code, e]));

/** The built-in entry of a code; undefined for an unknown code. */
export function manifestEntry(code: string): ManifestEntry | undefined {
  return BY_CODE.get(code);
}
