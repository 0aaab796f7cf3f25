export { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';
export type { WebSocketManagerProtocol } from 'unified-ws/websocket-core/protocols';
