import { WebSocketManagerProtocol, LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';

export const adapter: WebSocketManagerProtocol | LegacyWebSocketManagerAdapter = new LegacyWebSocketManagerAdapter();
