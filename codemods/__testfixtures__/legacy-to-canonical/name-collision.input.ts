import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';
import { createWebSocketManager } from 'unified-ws/websocket-core/websocket-manager-factory';

class WebSocketManager {}
function getWebSocketManager() {
  return 'local';
}

export const all = [WebSocketManager, getWebSocketManager(), new UnifiedWebSocketManager({ authenticate: () => null }), createWebSocketManager('alice')];
