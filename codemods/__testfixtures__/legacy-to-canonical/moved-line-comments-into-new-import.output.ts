// unified-ws(UWS002): the manifest does not map WebSocketManagerOptions of unified-ws/websocket-core/websocket-manager; left…; see docs/deprecations.md#uws002
import {
  WebSocketManagerOptions, // not in the manifest: stays
} from 'unified-ws/websocket-core/websocket-manager';
import {
  // the manager class
  WebSocketManager,
  /* the process default */
  getWebSocketManager, // looked up at use time
  /* who a message is for */
  type UserContext,
} from 'unified-ws';

export const parts = [WebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
export type Options = WebSocketManagerOptions;
