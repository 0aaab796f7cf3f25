import { MessageRouter, WebSocketManager } from 'unified-ws';

export const parts = [MessageRouter, WebSocketManager];
