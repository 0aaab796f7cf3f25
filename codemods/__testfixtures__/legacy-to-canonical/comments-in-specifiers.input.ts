import {
  MessageRouter, // routes inbound frames
  ToolDispatcher,
} from 'unified-ws';
import {
  // the manager class
  WebSocketManager,
  /* the process default */ getWebSocketManager, // looked up at use time
  type UserContext, // who a message is for
} from 'unified-ws/websocket-core/websocket-manager';
import { WebSocketManagerProtocol, /* kept: no rewrite */ LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';

export const parts = [MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
export const adapter: WebSocketManagerProtocol = new LegacyWebSocketManagerAdapter() as never;
