import { getWebSocketManager } from 'unified-ws';

export const online = (userId: string) => getWebSocketManager().isConnected(userId);
export const manager = getWebSocketManager();
