import { MessageRouter, getWebSocketManager } from 'unified-ws';
import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';
import { WebSocketManagerFactory } from 'unified-ws/websocket-core/websocket-manager-factory';
import { getWebSocketManager as again, WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const router = new MessageRouter();
export const make = () => new UnifiedWebSocketManager({ authenticate: () => null });
export const channel = WebSocketManagerFactory.createManager('alice');
export const both = [getWebSocketManager, again, WebSocketManager];
