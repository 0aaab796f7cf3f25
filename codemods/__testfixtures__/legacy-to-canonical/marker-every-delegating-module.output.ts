// unified-ws(UWS007): AgentWebSocketBridge and WebSocketNotifier have no statically safe rewrite; see docs/deprecations.md#uws007
import { AgentWebSocketBridge, WebSocketNotifier } from 'unified-ws/services/agent-websocket-bridge';
// unified-ws(UWS008): WebSocketNotifier has no statically safe rewrite; see docs/deprecations.md#uws008
import { WebSocketNotifier as RollbackNotifier } from 'unified-ws/scripts/websocket-notifier-rollback-utility';
// unified-ws(UWS009): WebSocketBridgeFactory has no statically safe rewrite; see docs/deprecations.md#uws009
import { WebSocketBridgeFactory } from 'unified-ws/services/websocket-bridge-factory';
// unified-ws(UWS010): WebSocketBridgeFactory has no statically safe rewrite; see docs/deprecations.md#uws010
import { WebSocketBridgeFactory as SsotBridgeFactory } from 'unified-ws/factories/websocket-bridge-factory';
// unified-ws(UWS011): ExecutionEngineFactory has no safe automatic rewrite; see docs/deprecations.md#uws011
import { ExecutionEngineFactory } from 'unified-ws/agents/supervisor/execution-engine-factory';
// unified-ws(UWS012): ExecutionEngineFactory has no safe automatic rewrite; see docs/deprecations.md#uws012
import { ExecutionEngineFactory as CoreEngineFactory } from 'unified-ws/core/managers/execution-engine-factory';
// unified-ws(UWS013): UnifiedExecutionEngineFactory has no safe automatic rewrite; see docs/deprecations.md#uws013
import { UnifiedExecutionEngineFactory } from 'unified-ws/agents/execution-engine-unified-factory';
// unified-ws(UWS014): MessageRouter has no safe automatic rewrite; see docs/deprecations.md#uws014
import { MessageRouter } from 'unified-ws/websocket-core/handlers';
// unified-ws(UWS015): WebSocketMessageRouter has no safe automatic rewrite; see docs/deprecations.md#uws015
import { WebSocketMessageRouter } from 'unified-ws/websocket-core/message-router';
// unified-ws(UWS016): MessageRouter has no safe automatic rewrite; see docs/deprecations.md#uws016
import { MessageRouter as ServicesRouter } from 'unified-ws/services/websocket/message-router';
// unified-ws(UWS017): ToolDispatcher has no safe automatic rewrite; see docs/deprecations.md#uws017
import { ToolDispatcher } from 'unified-ws/agents/tool-dispatcher';
// unified-ws(UWS018): UnifiedToolDispatcher has no safe automatic rewrite; see docs/deprecations.md#uws018
import { UnifiedToolDispatcher } from 'unified-ws/agents/unified-tool-dispatcher';
// unified-ws(UWS019): RequestScopedToolDispatcher has no safe automatic rewrite; see docs/deprecations.md#uws019
import { RequestScopedToolDispatcher } from 'unified-ws/agents/request-scoped-tool-dispatcher';
// unified-ws(UWS020): EnhancedToolDispatcher has no safe automatic rewrite; see docs/deprecations.md#uws020
import { EnhancedToolDispatcher } from 'unified-ws/agents/enhanced-tool-dispatcher';

export const legacy = [
  AgentWebSocketBridge,
  WebSocketNotifier,
  RollbackNotifier,
  WebSocketBridgeFactory,
  SsotBridgeFactory,
  ExecutionEngineFactory,
  CoreEngineFactory,
  UnifiedExecutionEngineFactory,
  MessageRouter,
  WebSocketMessageRouter,
  ServicesRouter,
  ToolDispatcher,
  UnifiedToolDispatcher,
  RequestScopedToolDispatcher,
  EnhancedToolDispatcher,
];
