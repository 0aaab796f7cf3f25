import type { ConnectionRegistry } from './connection-registry';
import type { Connection } from './connection';

/**
 * One timer for every connection: each tick terminates the connections that did not answer the
 * previous ping, then pings the rest. A silent peer is gone within two intervals.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly intervalMs: number,
    private readonly onTimeout: (connection: Connection) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    for (const connection of this.registry.all())
      if (!connection.ping()) this.onTimeout(connection);
  }
}
