// The implementations behind the delegating shims, by their legacy names (unique across the
// legacy surface). Shims re-export from here or, for same-object entries, from the root.
export { websocketManager } from './manager-instance';
export { WebSocketManagerFactory, createWebSocketManager } from './websocket-manager-factory';
export { LegacyWebSocketManagerAdapter, type LegacyMessage } from './legacy-manager-adapter';
export { WebSocketManagerAdapter, WebSocketNotifier } from './agent-notifier';
export { AgentWebSocketBridge, WebSocketBridgeFactory } from './agent-websocket-bridge';
export {
  ExecutionEngineFactory,
  UnifiedExecutionEngineFactory,
  type EngineFactoryOptions,
  type UserExecutionEngine,
} from './execution-engine-factory';
export {
  MessageRouter,
  WebSocketMessageRouter,
  type LegacyContextHandler,
  type LegacyUserHandler,
} from './message-routers';
export {
  ToolDispatcher,
  UnifiedToolDispatcher,
  RequestScopedToolDispatcher,
  EnhancedToolDispatcher,
  type LegacyDispatcherOptions,
  type LegacyTool,
} from './tool-dispatchers';
