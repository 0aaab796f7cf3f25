// unified-ws(UWS005): new LegacyWebSocketManagerAdapter() (line 9) has no safe rewrite to manager.forUser(userId).send(type,…; see docs/deprecations.md#uws005
import { LegacyWebSocketManagerAdapter /* kept */ } from 'unified-ws/websocket-core/protocols';
import { /* the manager's type */ WebSocketManager as WebSocketManagerProtocol } from 'unified-ws';
// unified-ws(UWS002): the manifest does not map WebSocketManagerOptions of unified-ws/websocket-core/websocket-manager; left…; see docs/deprecations.md#uws002
import {
  WebSocketManagerOptions,
} from 'unified-ws/websocket-core/websocket-manager';
import { /* the manager class */ WebSocketManager, getWebSocketManager /* looked up at use time */ } from 'unified-ws';

export const adapter: WebSocketManagerProtocol = new LegacyWebSocketManagerAdapter() as never;
export const parts = [WebSocketManager, getWebSocketManager];
export type Options = WebSocketManagerOptions;
