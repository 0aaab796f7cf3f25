import { MessageRouter, getWebSocketManager, WebSocketManager as UnifiedWebSocketManager, getWebSocketManager as again, WebSocketManager } from 'unified-ws';

export const router = new MessageRouter();
export const make = () => new UnifiedWebSocketManager({ authenticate: () => null });
export const channel = getWebSocketManager().forUser('alice');
export const both = [getWebSocketManager, again, WebSocketManager];
