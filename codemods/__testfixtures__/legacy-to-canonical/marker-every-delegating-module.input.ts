import { AgentWebSocketBridge, WebSocketNotifier } from 'unified-ws/services/agent-websocket-bridge';
import { WebSocketNotifier as RollbackNotifier } from 'unified-ws/scripts/websocket-notifier-rollback-utility';
import { WebSocketBridgeFactory } from 'unified-ws/services/websocket-bridge-factory';
import { WebSocketBridgeFactory as SsotBridgeFactory } from 'unified-ws/factories/websocket-bridge-factory';
import { ExecutionEngineFactory } from 'unified-ws/agents/supervisor/execution-engine-factory';
import { ExecutionEngineFactory as CoreEngineFactory } from 'unified-ws/core/managers/execution-engine-factory';
import { UnifiedExecutionEngineFactory } from 'unified-ws/agents/execution-engine-unified-factory';
import { MessageRouter } from 'unified-ws/websocket-core/handlers';
import { WebSocketMessageRouter } from 'unified-ws/websocket-core/message-router';
import { MessageRouter as ServicesRouter } from 'unified-ws/services/websocket/message-router';
import { ToolDispatcher } from 'unified-ws/agents/tool-dispatcher';
import { UnifiedToolDispatcher } from 'unified-ws/agents/unified-tool-dispatcher';
import { RequestScopedToolDispatcher } from 'unified-ws/agents/request-scoped-tool-dispatcher';
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
