export { WebSocketManager as UnifiedWebSocketManager, WebSocketManager as Manager } from 'unified-ws';
export type { UserContext } from 'unified-ws';
