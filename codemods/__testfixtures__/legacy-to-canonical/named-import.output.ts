import { WebSocketManager, getWebSocketManager } from 'unified-ws';

export const manager: WebSocketManager = getWebSocketManager();
