import { WebSocketManager as UnifiedWebSocketManager, getWebSocketManager as getWebSocketManagerCanonical } from 'unified-ws';

class WebSocketManager {}
function getWebSocketManager() {
  return 'local';
}

export const all = [WebSocketManager, getWebSocketManager(), new UnifiedWebSocketManager({ authenticate: () => null }), getWebSocketManagerCanonical().forUser('alice')];
