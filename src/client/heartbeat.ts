/**
 * The client's liveness check. A browser cannot see WebSocket ping frames, and a connection whose
 * peer vanished (a black-holed route, a sleeping laptop's NAT entry gone) stays "open" for minutes
 * until TCP gives up. So the client pings at the application level, `{ type: 'ping', id }`, which
 * the server answers with a `pong`: when nothing was received for `intervalMs` it pings, and when
 * nothing at all (a pong or any other frame) arrives within `timeoutMs` after that, the connection
 * is declared dead.
 *
 * One timer at a time, and none per frame: a frame only sets a flag and a time stamp.
 */
export class Heartbeat {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastHeard = 0;
  private heardSincePing = true;
  private pinging = false;

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  start(): void {
    this.stop();
    this.heard();
    this.schedule(this.intervalMs);
  }

  /** Any frame received. */
  heard(): void {
    this.lastHeard = performance.now();
    this.heardSincePing = true;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pinging = false;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(this.tick, Math.max(0, ms));
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.pinging) {
      this.pinging = false;
      if (!this.heardSincePing) return this.dead();
    }
    const idle = performance.now() - this.lastHeard;
    if (idle < this.intervalMs) return this.schedule(this.intervalMs - idle);
    this.pinging = true;
    this.heardSincePing = false;
    this.schedule(this.timeoutMs);
    this.ping();
  };
}
