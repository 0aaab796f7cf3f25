import {
  MessageRouter, // routes inbound frames
  ToolDispatcher,
  // the manager class
  WebSocketManager,
  /* the process default */
  getWebSocketManager, // looked up at use time
  type UserContext, // who a message is for
  WebSocketManager as WebSocketManagerProtocol,
} from 'unified-ws';
// unified-ws(UWS005): new LegacyWebSocketManagerAdapter() (line 15) has no safe rewrite to…; see docs/deprecations.md#uws005
import { /* kept: no rewrite */ LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';

export const parts = [MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
export const adapter: WebSocketManagerProtocol = new LegacyWebSocketManagerAdapter() as never;
