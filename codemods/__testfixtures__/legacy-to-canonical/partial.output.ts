// unified-ws(UWS005): LegacyWebSocketManagerAdapter (line 3) has no safe rewrite to manager.forUser(userId).send(type,…; see docs/deprecations.md#uws005
import { LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';
import { WebSocketManager as WebSocketManagerProtocol } from 'unified-ws';

export const adapter: WebSocketManagerProtocol | LegacyWebSocketManagerAdapter = new LegacyWebSocketManagerAdapter();
