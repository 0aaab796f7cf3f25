import {
  // the manager class
  WebSocketManager,
  getWebSocketManager, // looked up at use time
  WebSocketManagerOptions,
} from 'unified-ws/websocket-core/websocket-manager';

export const parts = [WebSocketManager, getWebSocketManager];
export type Options = WebSocketManagerOptions;
