export { WebSocketManager, getWebSocketManager, type UserContext } from 'unified-ws';
export { WebSocketManager as UnifiedWebSocketManager } from 'unified-ws';
