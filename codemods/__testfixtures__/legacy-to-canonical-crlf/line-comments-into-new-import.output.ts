// unified-ws(UWS002): the manifest does not map WebSocketManagerOptions of unified-ws/websocket-core/websocket-manager; left…; see docs/deprecations.md#uws002
import {
  WebSocketManagerOptions,
} from 'unified-ws/websocket-core/websocket-manager';
import {
  // the manager class
  WebSocketManager,
  getWebSocketManager, // looked up at use time
} from 'unified-ws';

export const parts = [WebSocketManager, getWebSocketManager];
export type Options = WebSocketManagerOptions;
