import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toUserContext, type UserContext } from '../agents/user-context';
import { CLOSE_CODES } from '../protocol/codes';
import { extractToken, type Authenticate } from './auth';
import type { Logger } from './options';
import { redactCredentials } from './redact';
import { UpgradeLimits } from './upgrade-limits';

/** Refused upgrades, by reason (ManagerStats.refused). */
export interface RefusalCounters {
  unauthorized: number;
  forbiddenOrigin: number;
  tooManyConnections: number;
  notFound: number;
  unavailable: number;
  /** HTTP 503: `maxConnections` reached. */
  overCapacity: number;
  /** HTTP 429: `maxConnectionsPerAddress` reached for the client's address. */
  tooManyFromAddress: number;
}

/** The manager's options the gate reads. */
export interface GateOptions {
  authenticate: Authenticate;
  path: string;
  allowedOrigins?: readonly string[] | undefined;
  maxPayload: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxConnectionsPerUser: number;
  logger?: Logger | undefined;
}

/** What the gate asks of its manager. */
export interface GateHost {
  /** Shutting down: every upgrade is refused with 503 (or an accepted socket closed with 1001). */
  isClosing(): boolean;
  /** Open connections of a user on this node. */
  connectionCount(userId: string): number;
}

/** Receives each upgraded socket with its authenticated user. */
export type Accept = (ws: WebSocket, user: Readonly<UserContext>) => void;

const noop = (): void => undefined;

/**
 * The upgrade gate: decides whether an HTTP upgrade becomes a connection, and refuses it with an
 * HTTP status (and a destroyed socket) otherwise. In order: the path, shutting down, the origin,
 * the admission limits (before authenticating, so a flood costs no authenticator calls), the
 * authenticator, the per-user cap; then the WebSocket handshake, after which the per-user cap is
 * checked again (two upgrades of one user can pass the first check together).
 */
export class UpgradeGate {
  private readonly wss: WebSocketServer;
  private readonly limits: UpgradeLimits;

  constructor(
    private readonly options: GateOptions,
    private readonly refused: RefusalCounters,
    private readonly host: GateHost,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayload,
      clientTracking: false,
      // One inbound message per turn of the event loop and connection, not every message of a
      // read at once: a client that packs a burst of costly requests into one read would
      // otherwise hold every other connection back until all of them were handled.
      allowSynchronousEvents: false,
    });
    this.limits = new UpgradeLimits(options.maxConnections, options.maxConnectionsPerAddress);
  }

  /** Whether the request is for the manager's path (the query string aside). */
  ownsPath(request: IncomingMessage): boolean {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    return (query === -1 ? url : url.slice(0, query)) === this.options.path;
  }

  /** Authenticates and upgrades one request, handing the socket to `accept`, or refuses it. */
  async handle(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    accept: Accept,
  ): Promise<void> {
    socket.on('error', noop);
    const user = await this.admit(request, socket);
    if (!user) return;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', noop);
      ws.on('error', (error) =>
        this.options.logger?.warn?.('websocket error', {
          userId: user.userId,
          error: error.message,
        }),
      );
      if (this.host.isClosing()) {
        ws.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
        return;
      }
      if (this.host.connectionCount(user.userId) >= this.options.maxConnectionsPerUser) {
        this.refused.tooManyConnections++;
        ws.close(CLOSE_CODES.TOO_MANY_CONNECTIONS, 'too many connections');
        return;
      }
      accept(ws, user);
    });
  }

  /** Stops the WebSocket server (it tracks no clients: the manager closes its connections). */
  close(): void {
    this.wss.close();
  }

  /** The user of an upgrade that passes every check; undefined once it was refused. */
  private async admit(
    request: IncomingMessage,
    socket: Duplex,
  ): Promise<Readonly<UserContext> | undefined> {
    if (!this.ownsPath(request)) return this.refuse(socket, 404, 'notFound');
    if (this.host.isClosing()) return this.refuse(socket, 503, 'unavailable');
    const { allowedOrigins } = this.options;
    if (allowedOrigins && !allowedOrigins.includes(request.headers.origin ?? '')) {
      return this.refuse(socket, 403, 'forbiddenOrigin');
    }
    // Counted until the socket closes, whatever happens to it from here.
    const over = this.limits.admit(socket, request.socket?.remoteAddress);
    if (over) return this.refuse(socket, over === 'overCapacity' ? 503 : 429, over);
    const user = await this.authenticate(request);
    if (socket.destroyed) return undefined;
    if (!user) return this.refuse(socket, 401, 'unauthorized');
    if (this.host.isClosing()) return this.refuse(socket, 503, 'unavailable');
    if (this.host.connectionCount(user.userId) >= this.options.maxConnectionsPerUser) {
      return this.refuse(socket, 429, 'tooManyConnections');
    }
    return user;
  }

  private async authenticate(request: IncomingMessage): Promise<Readonly<UserContext> | undefined> {
    const token = extractToken(request);
    try {
      const result = await this.options.authenticate(request, token);
      return result ? toUserContext(result) : undefined;
    } catch (error) {
      // The reason stays on the server (a client learns only that it was refused), and even
      // there without the token, should the authenticator have put it in its message.
      const reason = redactCredentials(String(error), request, token);
      this.options.logger?.warn?.('authenticate threw; refusing the upgrade', { error: reason });
      return undefined;
    }
  }

  /** Answers the upgrade with an HTTP status and destroys the socket. */
  private refuse(socket: Duplex, status: number, counter: keyof RefusalCounters): undefined {
    this.refused[counter]++;
    const body = STATUS_CODES[status] ?? 'Refused';
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
    return undefined;
  }
}
