import {
  WebSocketManagerProtocol, // the manager's type
  LegacyWebSocketManagerAdapter,
} from 'unified-ws/websocket-core/protocols';

export const adapter: WebSocketManagerProtocol = new LegacyWebSocketManagerAdapter() as never;
