import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { AgentRun } from '../agents/agent-run';
import { RunRegistry } from '../agents/run-registry';
import type { UserContext } from '../agents/user-context';
import { ManagerError } from '../errors/manager-error';
import { CLOSE_CODES } from '../protocol/codes';
import type { Envelope, OutboundMessage } from '../protocol/envelope';
import { MessageRouter } from '../router/message-router';
import type { DeliveryAdapter, StoredEnvelope } from '../scale/delivery-adapter';
import { MemoryDeliveryAdapter } from '../scale/memory-adapter';
import { Connection, type ConnectionCounters, type ConnectionHost } from './connection';
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
import { closeOwnServer, createOwnServer, listen } from './own-server';
import { TokenBucket } from './token-bucket';
import { UpgradeGate, type RefusalCounters } from './upgrade-gate';
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
  /**
   * Bytes this node keeps for its clients right now, over every connection: in flight to the
   * sockets, queued, and held during welcomes and resumes (each connection's under its
   * `sendBudgetBytes`).
   */
  bufferedBytes: number;
  /** Upgrades refused, by reason. */
  refused: RefusalCounters;
}

export interface ConnectionInfo {
  connectionId: string;
  userId: string;
}

/**
 * `connect` is emitted once a connection has its welcome, so a send from its listener reaches that
 * connection too (it lies after the welcome's head); `disconnect` once it has closed, for every
 * connection that had its `connect`.
 */
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
 * The one WebSocket manager: holds the per-user registry and each user's subscription to the
 * adapter, delivers each user's stream to the user's connections, routes inbound messages, pings,
 * and shuts down cleanly. Upgrades go through its UpgradeGate; each Connection owns its welcome,
 * resumes, rate limit, send budget and closing. Its only way to send is forUser(ctx).
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
  /** Per user with connections on this node, with `rateLimit.perUser`: the bucket they share. */
  private readonly userBuckets = new Map<string, TokenBucket>();
  private readonly runs = new RunRegistry();
  private readonly gate: UpgradeGate;
  private readonly server: HttpServer | HttpsServer | undefined;
  /** The server the manager created for `port`, and closes. */
  private readonly ownServer: HttpServer | undefined;
  private readonly heartbeat: Heartbeat;
  private readonly readyPromise: Promise<void>;
  private readonly counters: ConnectionCounters &
    Omit<
      ManagerStats,
      'users' | 'connections' | 'activeRuns' | 'bufferedBytes' | keyof ConnectionCounters
    > = {
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
  private readonly connectionHost: ConnectionHost;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!this.gate.ownsPath(request) && (this.server?.listenerCount('upgrade') ?? 0) > 1) {
      return; // another listener on a shared server owns this path
    }
    void this.handleUpgrade(request, socket, head);
  };
  private readonly accept = (
    ws: WebSocket,
    user: Readonly<UserContext>,
    transport: Duplex,
  ): void => {
    const id = randomUUID();
    const route = { userId: user.userId, user, channel: this.forUser(user), connectionId: id };
    const connection = new Connection(
      route,
      ws,
      this.connectionHost,
      this.userBucket(user.userId),
      transport,
    );
    if (this.registry.add(connection))
      this.subscriptions.set(user.userId, this.subscribe(user.userId));
    connection.open(this.subscriptions.get(user.userId) as Promise<void>);
  };

  constructor(options: WebSocketManagerOptions) {
    super();
    this.options = resolveOptions(options);
    if (this.options.register) registerDefaultManager(this);
    this.router = this.options.router ?? new MessageRouter();
    this.adapter = this.options.adapter ?? new MemoryDeliveryAdapter();
    this.connectionHost = {
      options: this.options,
      counters: this.counters,
      adapter: this.adapter,
      dispatch: (route, message) => this.router.dispatch(route, message),
      welcomed: (connection) =>
        this.emit('connect', { connectionId: connection.id, userId: connection.userId }),
      released: (connection) => this.release(connection),
    };
    this.gate = new UpgradeGate(this.options, this.counters.refused, {
      isClosing: () => this.closing,
      connectionCount: (userId) => this.registry.count(userId),
    });
    this.heartbeat = new Heartbeat(
      this.registry,
      this.options.heartbeatIntervalMs,
      (connection) => {
        this.counters.heartbeatTimeouts++;
        connection.terminate();
      },
    );
    this.ownServer =
      this.options.port === undefined ? undefined : createOwnServer(this.options.headersTimeoutMs);
    this.server = this.ownServer ?? this.options.server;
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
    let bufferedBytes = 0;
    for (const connection of this.registry.all()) bufferedBytes += connection.bufferedBytes;
    return {
      users: this.registry.userCount,
      connections: this.registry.count(),
      activeRuns: this.runs.activeCount,
      coalesced,
      dropped,
      ...rest,
      bufferedBytes,
      refused: { ...refused },
    };
  }

  /** Closes every connection of a user on this node (for example on logout). */
  disconnect(userId: string, code: number = CLOSE_CODES.NORMAL, reason = 'disconnected'): number {
    const connections = [...(this.registry.get(userId)?.values() ?? [])];
    for (const connection of connections) connection.close(code, reason);
    return connections.length;
  }

  /**
   * Authenticates and upgrades one request. Attached to the server automatically; call it yourself
   * when the manager was created with neither `server` nor `port`.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    return this.gate.handle(request, socket, head, this.accept);
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
    if (this.ownServer) await listen(this.ownServer, this.options.port, this.options.host);
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
          for (const connection of this.registry.all()) connection.terminate();
        }, this.options.closeTimeoutMs);
        this.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
        for (const connection of this.registry.all())
          connection.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
      });
    }
    this.gate.close();
    if (this.ownServer) await closeOwnServer(this.ownServer);
    await this.adapter.close();
    this.runs.clear();
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

  /** The bucket a user's connections share under `rateLimit.perUser`, made by the first one. */
  private userBucket(userId: string): TokenBucket | undefined {
    const perUser = this.options.rateLimit ? this.options.rateLimit.perUser : false;
    if (!perUser) return undefined;
    let bucket = this.userBuckets.get(userId);
    if (!bucket) this.userBuckets.set(userId, (bucket = new TokenBucket(perUser)));
    return bucket;
  }

  /** Runs once per connection, whichever way it closed (client, heartbeat, budget, shutdown). */
  private release(connection: Connection): void {
    const { userId } = connection;
    if (this.registry.remove(connection)) {
      this.subscriptions.delete(userId);
      this.userBuckets.delete(userId);
      if (!this.closing)
        Promise.resolve(this.adapter.unsubscribe(userId)).catch((error: unknown) =>
          this.options.logger?.warn?.('unsubscribe failed', { userId, error: String(error) }),
        );
    }
    if (connection.welcomed) this.emit('disconnect', { connectionId: connection.id, userId });
    if (this.registry.count() === 0) this.onDrained?.();
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
}

/** The registered default manager; a typed error naming the fix when there is none. */
export function getWebSocketManager(): WebSocketManager {
  return getDefaultManager() as WebSocketManager;
}
