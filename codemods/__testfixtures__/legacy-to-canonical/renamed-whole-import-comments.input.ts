import {
  // the old name
  UnifiedWebSocketManager, // still the manager
} from 'unified-ws/websocket-core/unified-manager';
import { websocketManager /* the instance */, /* the class */ WebSocketManager } from 'unified-ws/websocket-core/manager';

export const parts = [UnifiedWebSocketManager, websocketManager.connectionCount('u'), WebSocketManager];
