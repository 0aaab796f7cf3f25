import type { UserContext } from '../agents/user-context';
import { deprecationCounter } from '../deprecation/index';
import type { UserChannel } from '../manager/user-channel';
import { getWebSocketManager, type WebSocketManager } from '../manager/websocket-manager';

const use = deprecationCounter('UWS004');

/**
 * UWS004: the per-call factory. It now creates nothing: createManager(ctx) is
 * getWebSocketManager().forUser(ctx) and getManager() is getWebSocketManager().
 */
export class WebSocketManagerFactory {
  static createManager(ctx: UserContext | string): UserChannel {
    use();
    return getWebSocketManager().forUser(ctx);
  }

  static getManager(): WebSocketManager {
    use();
    return getWebSocketManager();
  }
}

/** UWS004: getWebSocketManager().forUser(ctx). */
export function createWebSocketManager(ctx: UserContext | string): UserChannel {
  use();
  return getWebSocketManager().forUser(ctx);
}
