// unified-ws(UWS005): new LegacyWebSocketManagerAdapter() (line 6) has no safe rewrite to manager.forUser(userId).send(type,…; see docs/deprecations.md#uws005
import {
  LegacyWebSocketManagerAdapter,
} from 'unified-ws/websocket-core/protocols';
import {
  WebSocketManager as WebSocketManagerProtocol, // the manager's type
} from 'unified-ws';

export const adapter: WebSocketManagerProtocol = new LegacyWebSocketManagerAdapter() as never;
