import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toUserContext, type UserContext } from '../agents/user-context';
import { CLOSE_CODES } from '../protocol/codes';
import { SUBPROTOCOL } from '../protocol/subprotocol';
import { extractToken, offersSubprotocol, type Authenticate } from './auth';
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
  /** How long a refused opt-in client gets to answer its close frame before it is terminated. */
  slowConsumerGraceMs: number;
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
/** `transport` is the upgraded TCP (or TLS) socket under `ws`: a connection corks it per batch. */
export type Accept = (ws: WebSocket, user: Readonly<UserContext>, transport: Duplex) => void;

const noop = (): void => undefined;

/** Why an upgrade is refused: the HTTP status, and the counter of stats().refused it goes to. */
interface Refusal {
  status: 401 | 403 | 404 | 429 | 503;
  counter: keyof RefusalCounters;
  /**
   * Refused by the admission limits: always an HTTP status, even to a client that opted in, since
   * completing an upgrade past the caps would defeat them.
   */
  limited?: true;
}

/** The close code an opted-in client gets instead of each HTTP status. */
const CLOSE_FOR_STATUS: Readonly<Record<Refusal['status'], number>> = {
  401: CLOSE_CODES.UNAUTHORIZED,
  403: CLOSE_CODES.FORBIDDEN,
  404: CLOSE_CODES.NOT_FOUND,
  429: CLOSE_CODES.TOO_MANY_REQUESTS,
  503: CLOSE_CODES.UNAVAILABLE,
};

/**
 * Selects `unified-ws.v1` when offered, and nothing else: above all never the bearer subprotocol,
 * whose value is the client's token (ws would otherwise echo the first protocol offered).
 */
function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}

/**
 * The upgrade gate: decides whether an HTTP upgrade becomes a connection, and refuses it with an
 * HTTP status (and a destroyed socket) otherwise. In order: the path, shutting down, the origin,
 * the admission limits (before authenticating, so a flood costs no authenticator calls), the
 * authenticator, the per-user cap; then the WebSocket handshake, after which the per-user cap is
 * checked again (two upgrades of one user can pass the first check together).
 *
 * A client that offers the `unified-ws.v1` subprotocol opts in to refusals it can see (browsers
 * hide the status of a refused upgrade): the same checks, but the admission limits come first,
 * and a refusal completes the upgrade and closes at once with 4000 + the status — the connection
 * is never registered nor subscribed, and is terminated if it does not answer the close in time.
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
      handleProtocols: selectProtocol,
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
    const optIn = offersSubprotocol(request);
    const verdict = await this.admit(request, socket, optIn);
    if (verdict === undefined) return;
    if ('status' in verdict) {
      this.refused[verdict.counter]++;
      if (optIn && !verdict.limited) this.closeRefused(request, socket, head, verdict.status);
      else this.refuse(socket, verdict.status);
      return;
    }
    const user = verdict;
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
      accept(ws, user, socket);
    });
  }

  /** Stops the WebSocket server (it tracks no clients: the manager closes its connections). */
  close(): void {
    this.wss.close();
  }

  /**
   * The user of an upgrade that passes every check, or why it is refused; undefined when the
   * client went away meanwhile.
   */
  private async admit(
    request: IncomingMessage,
    socket: Duplex,
    optIn: boolean,
  ): Promise<Readonly<UserContext> | Refusal | undefined> {
    // Every refusal of an opted-in client completes an upgrade: it is counted by the admission
    // limits before anything else (from here until its socket closes), so refusals cannot open
    // more sockets than the caps allow.
    if (optIn) {
      const over = this.limit(request, socket);
      if (over) return over;
    }
    if (!this.ownsPath(request)) return { status: 404, counter: 'notFound' };
    if (this.host.isClosing()) return { status: 503, counter: 'unavailable' };
    const { allowedOrigins } = this.options;
    if (allowedOrigins && !allowedOrigins.includes(request.headers.origin ?? '')) {
      return { status: 403, counter: 'forbiddenOrigin' };
    }
    if (!optIn) {
      const over = this.limit(request, socket);
      if (over) return over;
    }
    const user = await this.authenticate(request);
    if (socket.destroyed) return undefined;
    if (!user) return { status: 401, counter: 'unauthorized' };
    if (this.host.isClosing()) return { status: 503, counter: 'unavailable' };
    if (this.host.connectionCount(user.userId) >= this.options.maxConnectionsPerUser) {
      return { status: 429, counter: 'tooManyConnections' };
    }
    return user;
  }

  /** Admits the socket to the node's and the address's caps (counted until it closes), or not. */
  private limit(request: IncomingMessage, socket: Duplex): Refusal | undefined {
    const over = this.limits.admit(socket, request.socket?.remoteAddress);
    if (over === undefined) return undefined;
    return { status: over === 'overCapacity' ? 503 : 429, counter: over, limited: true };
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
  private refuse(socket: Duplex, status: number): void {
    const body = STATUS_CODES[status] ?? 'Refused';
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  }

  /**
   * The refusal an opted-in client can see: the upgrade completes and the socket closes at once
   * with 4000 + `status`; a client that does not answer the close within slowConsumerGraceMs is
   * terminated (it still read the code). Nothing is registered, subscribed or routed.
   */
  private closeRefused(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    status: Refusal['status'],
  ): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', noop);
      ws.close(CLOSE_FOR_STATUS[status], (STATUS_CODES[status] ?? 'refused').toLowerCase());
      const timer = setTimeout(() => ws.terminate(), this.options.slowConsumerGraceMs);
      ws.once('close', () => clearTimeout(timer));
    });
  }
}
