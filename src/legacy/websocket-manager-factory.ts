import type { UserContext } from '../agents/user-context';
import type { UserChannel } from '../manager/user-channel';
import { getWebSocketManager, type WebSocketManager } from '../manager/websocket-manager';

/**
 * The per-call factory. It now creates nothing: createManager(ctx) is
 * getWebSocketManager().forUser(ctx) and getManager() is getWebSocketManager().
 */
export class WebSocketManagerFactory {
  static createManager(ctx: UserContext | string): UserChannel {
    return getWebSocketManager().forUser(ctx);
  }

  static getManager(): WebSocketManager {
    return getWebSocketManager();
  }
}

/** getWebSocketManager().forUser(ctx). */
export function createWebSocketManager(ctx: UserContext | string): UserChannel {
  return getWebSocketManager().forUser(ctx);
}
