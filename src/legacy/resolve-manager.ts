import type { WebSocketManager } from '../manager/websocket-manager';
import { getWebSocketManager } from '../manager/websocket-manager';

/**
 * The manager a legacy object works through: the one it was given, else the process default,
 * looked up at each use (a legacy object may be created before the manager is).
 */
export function resolveManager(given: WebSocketManager | undefined): WebSocketManager {
  return given ?? getWebSocketManager();
}
