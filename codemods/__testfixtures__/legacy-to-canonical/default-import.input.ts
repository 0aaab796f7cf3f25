import legacy from 'unified-ws/websocket-core/websocket-manager';

export const manager = legacy.getWebSocketManager();
