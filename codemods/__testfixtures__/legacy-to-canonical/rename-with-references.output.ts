import { WebSocketManager as UnifiedWebSocketManager } from 'unified-ws';

export function start(): UnifiedWebSocketManager {
  return new UnifiedWebSocketManager({ port: 8080, authenticate: () => 'alice' });
}
