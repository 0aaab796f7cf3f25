import {
	MessageRouter,
	WebSocketManager, // the class
	getWebSocketManager,
} from 'unified-ws';

export function parts() {
	return [MessageRouter, WebSocketManager, getWebSocketManager];
}
