export { WebSocketManager as UnifiedWebSocketManager } from 'unified-ws';
export type { WebSocketManager as WebSocketManagerProtocol } from 'unified-ws';
