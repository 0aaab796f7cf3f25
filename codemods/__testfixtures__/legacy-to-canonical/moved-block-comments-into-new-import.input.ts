import { /* the manager's type */ WebSocketManagerProtocol, LegacyWebSocketManagerAdapter /* kept */ } from 'unified-ws/websocket-core/protocols';
import {
  /* the manager class */
  WebSocketManager,
  getWebSocketManager /* looked up at use time */,
  WebSocketManagerOptions,
} from 'unified-ws/websocket-core/websocket-manager';

export const adapter: WebSocketManagerProtocol = new LegacyWebSocketManagerAdapter() as never;
export const parts = [WebSocketManager, getWebSocketManager];
export type Options = WebSocketManagerOptions;
