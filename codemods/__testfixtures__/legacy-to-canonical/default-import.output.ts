import legacy from 'unified-ws';

export const manager = legacy.getWebSocketManager();
