import { websocketManager } from 'unified-ws/websocket-core/manager';

export const online = (userId: string) => websocketManager.isConnected(userId);
export const manager = websocketManager;
