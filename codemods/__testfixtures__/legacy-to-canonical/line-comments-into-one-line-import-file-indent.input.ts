import { MessageRouter } from 'unified-ws';
import { WebSocketManager, // the class
         getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export function parts() {
	return [MessageRouter, WebSocketManager, getWebSocketManager];
}
