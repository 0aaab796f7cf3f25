import { WebSocketManager, getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const manager: WebSocketManager = getWebSocketManager();
