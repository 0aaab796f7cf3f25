type Legacy = typeof import('unified-ws/websocket-core/websocket-manager');
type Manager = import('unified-ws/websocket-core/unified-manager').UnifiedWebSocketManager;
type Adapter = import('unified-ws/websocket-core/protocols').LegacyWebSocketManagerAdapter;

export type { Legacy, Manager, Adapter };
