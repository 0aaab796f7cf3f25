import { WebSocketManager, getWebSocketManager } from 'unified-ws';

const manager = new WebSocketManager({ authenticate: () => null, register: false });

export const online = (userId: string) => manager.isConnected(userId);
export const total = () => manager.connectionCount() + getWebSocketManager().connectionCount('alice');
