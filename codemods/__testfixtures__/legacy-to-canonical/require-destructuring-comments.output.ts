const {
  // the old name
  WebSocketManager: UnifiedWebSocketManager, // still the manager
} = require('unified-ws');
const { WebSocketManager, // the class
  /* the process default */ getWebSocketManager } = require('unified-ws');

export const parts = [UnifiedWebSocketManager, WebSocketManager, getWebSocketManager];
