import {
  // the manager class
  WebSocketManager,
  /* the process default */ getWebSocketManager, // looked up at use time
  /* who a message is for */
  type UserContext,
  WebSocketManagerOptions, // not in the manifest: stays
} from 'unified-ws/websocket-core/websocket-manager';

export const parts = [WebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
export type Options = WebSocketManagerOptions;
