const {
  // the old name
  UnifiedWebSocketManager, // still the manager
} = require('unified-ws/websocket-core/unified-manager');
const { WebSocketManager, // the class
  /* the process default */ getWebSocketManager } = require('unified-ws/websocket-core/websocket-manager');

export const parts = [UnifiedWebSocketManager, WebSocketManager, getWebSocketManager];
