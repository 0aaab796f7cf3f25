import { WebSocketManager, getWebSocketManager, WebSocketManagerOptions } from 'unified-ws/websocket-core/websocket-manager';

export const parts = [WebSocketManager, getWebSocketManager];
export type Options = WebSocketManagerOptions;
