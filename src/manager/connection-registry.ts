import type { Connection } from './connection';

/**
 * The one per-user connection registry: userId → connectionId → Connection. Nothing else in the
 * process maps users to sockets, so there is no second map to disagree with this one.
 */
export class ConnectionRegistry {
  private readonly users = new Map<string, Map<string, Connection>>();
  private total = 0;

  /** Adds a connection; true when it is the user's first on this node. */
  add(connection: Connection): boolean {
    let connections = this.users.get(connection.userId);
    const first = connections === undefined;
    if (!connections) {
      connections = new Map();
      this.users.set(connection.userId, connections);
    }
    connections.set(connection.id, connection);
    this.total++;
    return first;
  }

  /** Removes a connection; true when it was the user's last on this node. */
  remove(connection: Connection): boolean {
    const connections = this.users.get(connection.userId);
    if (!connections?.delete(connection.id)) return false;
    this.total--;
    if (connections.size > 0) return false;
    this.users.delete(connection.userId);
    return true;
  }

  get(userId: string): ReadonlyMap<string, Connection> | undefined {
    return this.users.get(userId);
  }

  count(userId?: string): number {
    return userId === undefined ? this.total : (this.users.get(userId)?.size ?? 0);
  }

  get userCount(): number {
    return this.users.size;
  }

  *all(): IterableIterator<Connection> {
    for (const connections of this.users.values()) yield* connections.values();
  }
}
