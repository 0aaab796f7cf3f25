import type { WebSocketManager } from '../manager/websocket-manager';
import { getWebSocketManager } from '../manager/websocket-manager';

/**
 * The legacy module-level `websocketManager`: not a manager but a view whose every property access
 * resolves against getWebSocketManager() at use time, so it can never be a second manager.
 */
export function defaultManagerView(): WebSocketManager {
  return new Proxy({} as WebSocketManager, {
    get(_target, property) {
      const manager = getWebSocketManager();
      const value: unknown = Reflect.get(manager, property, manager);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(manager)
        : value;
    },
    has(_target, property) {
      return Reflect.has(getWebSocketManager(), property);
    },
    set() {
      return false;
    },
    getPrototypeOf() {
      return Reflect.getPrototypeOf(getWebSocketManager());
    },
  });
}

/** The legacy `websocketManager`. */
export const websocketManager: WebSocketManager = defaultManagerView();
