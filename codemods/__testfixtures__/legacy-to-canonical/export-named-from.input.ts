export { UnifiedWebSocketManager, UnifiedWebSocketManager as Manager } from 'unified-ws/websocket-core/unified-manager';
export type { UserContext } from 'unified-ws/websocket-core/websocket-manager';
