import {
  // the old name
  WebSocketManager as UnifiedWebSocketManager, // still the manager
  getWebSocketManager, /* the instance */
  /* the class */
  WebSocketManager,
} from 'unified-ws';

export const parts = [UnifiedWebSocketManager, getWebSocketManager().connectionCount('u'), WebSocketManager];
