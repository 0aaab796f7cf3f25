import type { WebSocketManager } from '../manager/websocket-manager';
import { countUse } from './counted';
import { resolveManager } from './resolve-manager';

/** A legacy message: a type and any other fields, which become the payload. */
export interface LegacyMessage {
  type: string;
  [field: string]: unknown;
}

/** The adapter over the manager protocol, delegating to the one manager. */
export class LegacyWebSocketManagerAdapter {
  constructor(private readonly manager?: WebSocketManager) {}

  /**
   * manager.forUser(userId).send(type, rest): true when at least one connection of the user was
   * there to be sent it. Agent events are refused as they are on a channel (use agentRun).
   */
  sendToUser(userId: string, message: LegacyMessage): boolean {
    countUse(this);
    const manager = resolveManager(this.manager);
    const { type, ...payload } = message;
    const connected = manager.isConnected(userId);
    manager
      .forUser(userId)
      .send(type, payload)
      .catch(() => undefined); // only a closed manager rejects; the caller learns it below
    return connected && !manager.closed;
  }

  isUserConnected(userId: string): boolean {
    countUse(this);
    return resolveManager(this.manager).isConnected(userId);
  }

  getConnectionCount(userId?: string): number {
    countUse(this);
    return resolveManager(this.manager).connectionCount(userId);
  }
}
