import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';

export function start(): UnifiedWebSocketManager {
  return new UnifiedWebSocketManager({ port: 8080, authenticate: () => 'alice' });
}
