import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AgentRun } from '../agents/agent-run';
import { RunRegistry } from '../agents/run-registry';
import { toUserContext, type UserContext } from '../agents/user-context';
import { ManagerError } from '../errors/manager-error';
import { decodeInbound, errorFrame } from '../protocol/codec';
import { CLOSE_CODES } from '../protocol/codes';
import {
  PROTOCOL_VERSION,
  RESUME_TYPE,
  type Envelope,
  type ErrorFrame,
  type InboundMessage,
  type OutboundMessage,
  type StreamPosition,
} from '../protocol/envelope';
import { MessageRouter, type RouteContext } from '../router/message-router';
import type { DeliveryAdapter, StoredEnvelope } from '../scale/delivery-adapter';
import { MemoryDeliveryAdapter } from '../scale/memory-adapter';
import { extractToken } from './auth';
import { redactCredentials } from './redact';
import { Connection, type ConnectionCounters } from './connection';
import { ConnectionRegistry } from './connection-registry';
import {
  getDefaultManager,
  registerDefaultManager,
  unregisterDefaultManager,
} from './default-manager';
import { Heartbeat } from './heartbeat';
import {
  resolveOptions,
  type ResolvedManagerOptions,
  type WebSocketManagerOptions,
} from './options';
import { UpgradeLimits } from './upgrade-limits';
import { UserChannel, type ChannelHost } from './user-channel';

export interface ManagerStats {
  users: number;
  connections: number;
  activeRuns: number;
  messagesIn: number;
  /** Envelope frames handed to connections (one per envelope per connection). */
  delivered: number;
  /** agent_thinking frames replaced by a newer one for a consumer that was behind. */
  coalesced: number;
  /** Frames not sent because their connection was closing (its client resumes them). */
  dropped: number;
  rateLimited: number;
  slowConsumerCloses: number;
  heartbeatTimeouts: number;
  refused: {
    unauthorized: number;
    forbiddenOrigin: number;
    tooManyConnections: number;
    notFound: number;
    unavailable: number;
    /** HTTP 503: `maxConnections` reached. */
    overCapacity: number;
    /** HTTP 429: `maxConnectionsPerAddress` reached for the client's address. */
    tooManyFromAddress: number;
  };
}

export interface ConnectionInfo {
  connectionId: string;
  userId: string;
}

export interface WebSocketManagerEvents {
  connect: [ConnectionInfo];
  disconnect: [ConnectionInfo];
}

const noop = (): void => undefined;

/** A listener of one of the manager's events. */
type ManagerListener<K extends keyof WebSocketManagerEvents> = (
  ...args: WebSocketManagerEvents[K]
) => void;

/**
 * The manager's events, typed here rather than by extending @types/node's generic EventEmitter:
 * it is generic only from @types/node 18.19.19 / 20.11.21 on, and a declaration that needs it
 * fails to compile (TS2315) in a project with older Node types and no skipLibCheck.
 */
export interface WebSocketManager {
  on<K extends keyof WebSocketManagerEvents>(event: K, listener: ManagerListener<K>): this;
  once<K extends keyof WebSocketManagerEvents>(event: K, listener: ManagerListener<K>): this;
  off<K extends keyof WebSocketManagerEvents>(event: K, listener: ManagerListener<K>): this;
  addListener<K extends keyof WebSocketManagerEvents>(event: K, listener: ManagerListener<K>): this;
  removeListener<K extends keyof WebSocketManagerEvents>(
    event: K,
    listener: ManagerListener<K>,
  ): this;
  prependListener<K extends keyof WebSocketManagerEvents>(
    event: K,
    listener: ManagerListener<K>,
  ): this;
  prependOnceListener<K extends keyof WebSocketManagerEvents>(
    event: K,
    listener: ManagerListener<K>,
  ): this;
  emit<K extends keyof WebSocketManagerEvents>(
    event: K,
    ...args: WebSocketManagerEvents[K]
  ): boolean;
}

/**
 * The one WebSocket manager: authenticates upgrades, holds the per-user registry, delivers each
 * user's stream through the adapter, routes inbound messages, replays on resume, pings, enforces
 * send budgets and shuts down cleanly. Its only way to send is forUser(ctx).
 */
export class WebSocketManager extends EventEmitter {
  readonly router: MessageRouter;
  readonly adapter: DeliveryAdapter;
  private readonly options: ResolvedManagerOptions;
  private readonly registry = new ConnectionRegistry();
  /**
   * Per user with connections on this node: the adapter's subscription to their stream, settled
   * once it is in place. Started by the user's first connection and awaited by every connection.
   */
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly runs = new RunRegistry();
  private readonly wss: WebSocketServer;
  private readonly server: HttpServer | HttpsServer | undefined;
  private readonly ownsServer: boolean;
  private readonly limits: UpgradeLimits;
  private readonly heartbeat: Heartbeat;
  private readonly readyPromise: Promise<void>;
  private readonly counters: ConnectionCounters &
    Omit<ManagerStats, 'users' | 'connections' | 'activeRuns' | 'coalesced' | 'dropped'> = {
    coalesced: 0,
    dropped: 0,
    messagesIn: 0,
    delivered: 0,
    rateLimited: 0,
    slowConsumerCloses: 0,
    heartbeatTimeouts: 0,
    refused: {
      unauthorized: 0,
      forbiddenOrigin: 0,
      tooManyConnections: 0,
      notFound: 0,
      unavailable: 0,
      overCapacity: 0,
      tooManyFromAddress: 0,
    },
  };
  private closing = false;
  private closePromise: Promise<void> | undefined;
  private onDrained: (() => void) | undefined;
  private readonly channelHost: ChannelHost = {
    publish: (userId, message) => this.publish(userId, message),
    agentRun: (userId, runId, create) => this.runs.getOrCreate(userId, runId, create),
    runCompleted: (run: AgentRun) => this.runs.markCompleted(run),
    connectionCount: (userId) => this.registry.count(userId),
  };
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (
      this.pathOf(request) !== this.options.path &&
      (this.server?.listenerCount('upgrade') ?? 0) > 1
    ) {
      return; // another listener on a shared server owns this path
    }
    void this.handleUpgrade(request, socket, head);
  };

  constructor(options: WebSocketManagerOptions) {
    super();
    this.options = resolveOptions(options);
    if (this.options.register) registerDefaultManager(this);
    this.router = this.options.router ?? new MessageRouter();
    this.adapter = this.options.adapter ?? new MemoryDeliveryAdapter();
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.options.maxPayload,
      clientTracking: false,
    });
    this.heartbeat = new Heartbeat(
      this.registry,
      this.options.heartbeatIntervalMs,
      (connection) => {
        this.counters.heartbeatTimeouts++;
        connection.socket.terminate();
      },
    );
    this.ownsServer = this.options.port !== undefined;
    this.limits = new UpgradeLimits(
      this.options.maxConnections,
      this.options.maxConnectionsPerAddress,
    );
    this.server = this.ownsServer
      ? createServer(serverTimeouts(this.options.headersTimeoutMs), upgradeRequired)
      : this.options.server;
    // Node's own handling of a timed-out half-sent request left the socket open here (Node 20,
    // measured by test/manager/admission-limits.test.ts): destroy it.
    if (this.ownsServer) this.server?.on('clientError', closeClientError);
    this.server?.on('upgrade', this.onUpgrade);
    this.readyPromise = this.start();
    // ready() re-exposes the failure; this keeps an unawaited listen error from being unhandled.
    this.readyPromise.catch(noop);
  }

  /** Resolves once listening (with `port`) and the adapter has started. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** The listening address of the manager's server (own or attached). */
  address(): AddressInfo {
    const address = this.server?.address();
    if (!address || typeof address === 'string')
      throw new ManagerError('UWS_ERR_MANAGER_CLOSED', {
        message: 'The manager is not listening on a TCP port.',
      });
    return address;
  }

  get closed(): boolean {
    return this.closing;
  }

  /** The sender for one user, and the only way to send to one. */
  forUser(ctx: UserContext | string): UserChannel {
    return new UserChannel(this.channelHost, ctx);
  }

  isConnected(userId: string): boolean {
    return this.registry.count(userId) > 0;
  }

  /** Connections of one user on this node, or of every user when no id is given. */
  connectionCount(userId?: string): number {
    return this.registry.count(userId);
  }

  stats(): ManagerStats {
    const { coalesced, dropped, refused, ...rest } = this.counters;
    return {
      users: this.registry.userCount,
      connections: this.registry.count(),
      activeRuns: this.runs.activeCount,
      coalesced,
      dropped,
      ...rest,
      refused: { ...refused },
    };
  }

  /** Closes every connection of a user on this node (for example on logout). */
  disconnect(userId: string, code: number = CLOSE_CODES.NORMAL, reason = 'disconnected'): number {
    const connections = [...(this.registry.get(userId)?.values() ?? [])];
    for (const connection of connections) connection.socket.close(code, reason);
    return connections.length;
  }

  /**
   * Authenticates and upgrades one request. Attached to the server automatically; call it yourself
   * when the manager was created with neither `server` nor `port`.
   */
  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', noop);
    if (this.pathOf(request) !== this.options.path) return this.refuse(socket, 404, 'notFound');
    if (this.closing) return this.refuse(socket, 503, 'unavailable');
    const { allowedOrigins } = this.options;
    if (allowedOrigins && !allowedOrigins.includes(request.headers.origin ?? '')) {
      return this.refuse(socket, 403, 'forbiddenOrigin');
    }
    // Before authenticating, so a flood costs no authenticator calls; counted until the socket closes.
    const over = this.limits.admit(socket, request.socket?.remoteAddress);
    if (over) return this.refuse(socket, over === 'overCapacity' ? 503 : 429, over);
    let user: Readonly<UserContext> | undefined;
    const token = extractToken(request);
    try {
      const result = await this.options.authenticate(request, token);
      if (result) user = toUserContext(result);
    } catch (error) {
      // The reason stays on the server (a client learns only that it was refused), and even
      // there without the token, should the authenticator have put it in its message.
      const reason = redactCredentials(String(error), request, token);
      this.options.logger?.warn?.('authenticate threw; refusing the upgrade', { error: reason });
    }
    if (socket.destroyed) return;
    if (!user) return this.refuse(socket, 401, 'unauthorized');
    if (this.closing) return this.refuse(socket, 503, 'unavailable');
    if (this.registry.count(user.userId) >= this.options.maxConnectionsPerUser) {
      return this.refuse(socket, 429, 'tooManyConnections');
    }
    const context = user;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', noop);
      this.accept(ws, context);
    });
  }

  /**
   * Sends 1001 to every client, waits for them (up to closeTimeoutMs, then terminates the rest),
   * stops listening, stops the adapter and unregisters the default. Idempotent.
   */
  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async start(): Promise<void> {
    await this.adapter.start((stored) => this.deliver(stored), {
      resync: (userId) => this.disconnect(userId, CLOSE_CODES.RESYNC, 'stream gap: resume'),
    });
    this.heartbeat.start();
    if (!this.ownsServer || !this.server) return;
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.heartbeat.stop();
    unregisterDefaultManager(this);
    this.server?.off('upgrade', this.onUpgrade);
    await this.readyPromise.catch(noop);
    if (this.registry.count() > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const connection of this.registry.all()) connection.socket.terminate();
        }, this.options.closeTimeoutMs);
        this.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
        for (const connection of this.registry.all())
          connection.socket.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
      });
    }
    this.wss.close();
    if (this.ownsServer && this.server?.listening) {
      const server = this.server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await this.adapter.close();
    this.runs.clear();
  }

  private accept(ws: WebSocket, user: Readonly<UserContext>): void {
    ws.on('error', (error) =>
      this.options.logger?.warn?.('websocket error', { userId: user.userId, error: error.message }),
    );
    if (this.closing) {
      ws.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
      return;
    }
    if (this.registry.count(user.userId) >= this.options.maxConnectionsPerUser) {
      // Two upgrades of one user can pass the pre-check together; this is the authoritative one.
      this.counters.refused.tooManyConnections++;
      ws.close(CLOSE_CODES.TOO_MANY_CONNECTIONS, 'too many connections');
      return;
    }
    const connection = new Connection(randomUUID(), user, ws, this.options, this.counters, (slow) =>
      this.closeSlow(slow),
    );
    const route: RouteContext = {
      userId: user.userId,
      user,
      channel: this.forUser(user),
      connectionId: connection.id,
    };
    ws.on('close', () => this.release(connection));
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('message', (data, isBinary) => this.onMessage(connection, route, data, isBinary));
    if (this.registry.add(connection))
      this.subscriptions.set(user.userId, this.subscribe(user.userId));
    const subscribed = this.subscriptions.get(user.userId) as Promise<void>;
    this.emit('connect', { connectionId: connection.id, userId: user.userId });
    connection.hold();
    connection.ready = (async () => {
      // Every connection waits for the subscription, not only the first one that started it: a
      // head read before the node is subscribed would welcome this connection (or answer its
      // resume) at a seq after which envelopes are published that never reach this node, and the
      // subscription's own head read, later, would then count them as delivered.
      await subscribed;
      if (connection.released) return;
      const position = await this.adapter.position(user.userId);
      if (connection.released) return;
      connection.control({
        type: 'welcome',
        v: PROTOCOL_VERSION,
        userId: user.userId,
        connectionId: connection.id,
        ...position,
      });
      connection.release(position.seq);
    })().catch((error: unknown) => {
      this.options.logger?.error?.('could not open the user stream', {
        userId: user.userId,
        error: String(error),
      });
      ws.close(1011, 'stream unavailable');
    });
  }

  /**
   * Subscribes this node to a user's stream. Called synchronously, so that the adapter sees it
   * after the unsubscribe of the user's previous last connection, never before.
   */
  private subscribe(userId: string): Promise<void> {
    try {
      return Promise.resolve(this.adapter.subscribe(userId));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs once per connection, whichever way it closed (client, heartbeat, budget, shutdown). */
  private release(connection: Connection): void {
    if (connection.released) return;
    connection.released = true;
    connection.dispose();
    if (connection.closeTimer) clearTimeout(connection.closeTimer);
    if (this.registry.remove(connection)) {
      this.subscriptions.delete(connection.userId);
      if (!this.closing)
        Promise.resolve(this.adapter.unsubscribe(connection.userId)).catch((error: unknown) =>
          this.options.logger?.warn?.('unsubscribe failed', {
            userId: connection.userId,
            error: String(error),
          }),
        );
    }
    this.emit('disconnect', { connectionId: connection.id, userId: connection.userId });
    if (this.registry.count() === 0) this.onDrained?.();
  }

  private onMessage(
    connection: Connection,
    route: RouteContext,
    data: RawData,
    isBinary: boolean,
  ): void {
    this.counters.messagesIn++;
    const verdict = connection.admit();
    if (verdict.kind !== 'admit') {
      this.counters.rateLimited++;
      if (verdict.kind === 'abuse') this.closeAbusive(connection);
      else if (verdict.report) {
        // One frame per window (not one per message): a flooder must not be answered at its rate.
        const { dropped, retryAfterMs } = verdict.report;
        const frame: ErrorFrame & { dropped: number; retryAfterMs: number } = {
          ...errorFrame(
            'RATE_LIMITED',
            `Too many messages on this connection; ${dropped} dropped. Messages sent in the next ${this.rateWindowMs()} ms may be dropped without another error; retry after ${retryAfterMs} ms.`,
          ),
          dropped,
          retryAfterMs,
        };
        connection.control(frame);
      }
      return;
    }
    const decoded = decodeInbound(data, isBinary);
    if (!decoded.ok) {
      connection.control(decoded.error);
      return;
    }
    if (decoded.message.type === RESUME_TYPE) {
      void this.resume(connection, decoded.message);
      return;
    }
    const { id } = decoded.message;
    this.router.dispatch(route, decoded.message).then(
      (frame) => frame && connection.control(frame),
      // Only a throwing onHandlerError hook gets here; the client still gets its answer.
      () => connection.control(errorFrame('HANDLER_FAILED', undefined, id)),
    );
  }

  /**
   * Replays the user's stream after the client's position: every missed envelope in order, then a
   * `resumed` frame, then live traffic (held meanwhile) — or `recovered: false` and nothing.
   * The stream is the connection's own user's: a resume names no user.
   */
  private async resume(connection: Connection, message: InboundMessage): Promise<void> {
    const from = parsePosition(message.payload);
    if (!from) {
      connection.control(
        errorFrame(
          'INVALID_PAYLOAD',
          'resume needs { epoch: string, seq: non-negative integer }.',
          message.id,
        ),
      );
      return;
    }
    await connection.ready;
    if (connection.released) return;
    if (!connection.hold()) {
      connection.control(errorFrame('RESUME_IN_PROGRESS', undefined, message.id));
      return;
    }
    try {
      const result = await this.adapter.replay(connection.userId, from);
      if (connection.released) return;
      if (result.recovered) await connection.replay(result.frames);
      connection.control({
        type: 'resumed',
        recovered: result.recovered,
        replayed: result.recovered ? result.frames.length : 0,
        ...result.position,
      });
      connection.release(result.position.seq);
    } catch (error) {
      this.options.logger?.warn?.('replay failed', {
        userId: connection.userId,
        error: String(error),
      });
      connection.control(errorFrame('RESUME_FAILED', undefined, message.id));
      connection.release(-1);
    }
  }

  private deliver(stored: StoredEnvelope): void {
    const connections = this.registry.get(stored.envelope.userId);
    if (!connections) return;
    for (const connection of connections.values()) connection.deliver(stored);
    this.counters.delivered += connections.size;
  }

  private publish(userId: string, message: OutboundMessage): Promise<Envelope> {
    if (this.closing) return Promise.reject(new ManagerError('UWS_ERR_MANAGER_CLOSED'));
    try {
      const stored = this.adapter.publish(userId, message);
      return stored instanceof Promise
        ? stored.then((s) => s.envelope)
        : Promise.resolve(stored.envelope);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private rateWindowMs(): number {
    return this.options.rateLimit === false ? 0 : this.options.rateLimit.intervalMs;
  }

  /** A connection that keeps flooding past its rate limit (see RateLimit.abuseFactor). */
  private closeAbusive(connection: Connection): void {
    connection.socket.close(CLOSE_CODES.RATE_LIMIT_ABUSE, 'rate limit abuse');
    // A flooder may not read the close frame either.
    connection.closeTimer ??= setTimeout(
      () => connection.socket.terminate(),
      this.options.slowConsumerGraceMs,
    );
  }

  private closeSlow(connection: Connection): void {
    this.counters.slowConsumerCloses++;
    connection.socket.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
    // A consumer this far behind may never read the close frame either.
    connection.closeTimer = setTimeout(
      () => connection.socket.terminate(),
      this.options.slowConsumerGraceMs,
    );
  }

  private refuse(socket: Duplex, status: number, counter: keyof ManagerStats['refused']): void {
    this.counters.refused[counter]++;
    const body = STATUS_CODES[status] ?? 'Refused';
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  }

  private pathOf(request: IncomingMessage): string {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    return query === -1 ? url : url.slice(0, query);
  }
}

/** The registered default manager; a typed error naming the fix when there is none. */
export function getWebSocketManager(): WebSocketManager {
  return getDefaultManager() as WebSocketManager;
}

/**
 * Node closes a request whose headers (or whole request) take longer than this, but only looks
 * every `connectionsCheckingInterval` (30 s by default): check often enough that a half-sent
 * upgrade is closed within the timeout plus at most a second (a tenth of it when shorter).
 */
function serverTimeouts(timeoutMs: number): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    headersTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.ceil(timeoutMs / 10))),
  };
}

function closeClientError(_error: Error, socket: Duplex): void {
  socket.destroy();
}

function upgradeRequired(_request: IncomingMessage, response: ServerResponse): void {
  response
    .writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' })
    .end('This endpoint speaks WebSocket.');
}

function parsePosition(payload: unknown): StreamPosition | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { epoch, seq } = payload as Record<string, unknown>;
  if (typeof epoch !== 'string' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    return undefined;
  return { epoch, seq };
}
