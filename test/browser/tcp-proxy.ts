import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can stop forwarding, both ways, without closing anything: what a
 * sleeping laptop, a dropped NAT entry or a stalled proxy looks like to both ends. Bytes that
 * arrive while it black-holes are held, in order, and forwarded once it forwards again (TCP would
 * retransmit them); new connections are accepted and held the same way.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  /** Writes (and ends) held while black-holing, in arrival order. */
  private held: (() => void)[] = [];
  private holding = false;
  /** Connections accepted so far. */
  connections = 0;

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.pair(client));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, targetPort);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops forwarding, both ways, on every connection and on new ones. */
  blackhole(): void {
    this.holding = true;
  }

  /** Forwards what was held, then everything again. */
  restore(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const write of held) write();
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pair(client: Socket): void {
    this.connections++;
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  private pipe(from: Socket, to: Socket): void {
    from.on('data', (chunk) => this.forward(() => to.destroyed || to.write(chunk)));
    from.on('end', () => this.forward(() => to.destroyed || to.end()));
    from.on('close', () => this.forward(() => to.destroy()));
  }

  private forward(write: () => unknown): void {
    if (this.holding) this.held.push(write);
    else write();
  }
}
