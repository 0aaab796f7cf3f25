import { OptionError } from '../errors/option-error';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { DeliveryAdapter } from '../scale/delivery-adapter';
import type { MessageRouter } from '../router/message-router';
import type { Authenticate } from './auth';
import type { RateLimit } from './rate-limiter';

export interface Logger {
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}

export interface WebSocketManagerOptions {
  /** Required. Decides the user of an upgrade before it happens (see Authenticate). */
  authenticate: Authenticate;
  /** An existing HTTP(S) server to attach to. Exclusive with `port`. */
  server?: HttpServer | HttpsServer;
  /** Listen on this port (0: an ephemeral one). Exclusive with `server`. Neither: call handleUpgrade() yourself. */
  port?: number;
  /** Interface to listen on with `port`. Default: Node's (all interfaces). */
  host?: string;
  /** The upgrade path. Default '/ws'. */
  path?: string;
  /** Register as the process default returned by getWebSocketManager(). Default true. */
  register?: boolean;
  /** Open connections one user may hold on this node (tabs, devices). Default 16. */
  maxConnectionsPerUser?: number;
  /** WebSocket connections (open and upgrading) this node admits in all; beyond it HTTP 503. Default 10000. */
  maxConnections?: number;
  /**
   * WebSocket connections (open and upgrading) from one remote address; beyond it HTTP 429.
   * Behind a proxy every client shares its address: raise this there. Default 100.
   */
  maxConnectionsPerAddress?: number;
  /**
   * With `port`: time a client has to send a complete upgrade request (Node's `headersTimeout`
   * and `requestTimeout`; checked at least every second), after which the server closes it.
   * Ignored with `server` (set them on yours). Default 10000 (Node's own: 60 s / 300 s, checked every 30 s).
   */
  headersTimeoutMs?: number;
  /** Largest inbound frame in bytes; larger closes with 1009. Default 1 MiB (ws's own is 100 MiB). */
  maxPayload?: number;
  /** Allowed `Origin` header values; others get HTTP 403. Default: any origin. */
  allowedOrigins?: readonly string[];
  /** Ping interval; a connection that misses a pong is terminated. 0 disables. Default 30000. */
  heartbeatIntervalMs?: number;
  /**
   * Bytes a connection may keep for its client before it is closed with 4008 (slow consumer):
   * in flight to the socket, queued, and live envelopes held while its welcome or a resume is
   * prepared. A replay's own frames are paced by the socket, not counted. Default 4 MiB.
   */
  sendBudgetBytes?: number;
  /** Bytes in flight above which frames queue (and agent_thinking coalesces). Default 256 KiB. */
  sendHighWaterMark?: number;
  /**
   * Inbound messages per connection; over it answers RATE_LIMITED (once per window), and closes a
   * flooder with 4010. Default 100 per 1000 ms, `abuseFactor` 10, `abuseWindows` 10, a resume
   * costing one message per `resumeBytesPerMessage` 16384 bytes it replays, no `perUser` limit.
   * `false`: no limit.
   */
  rateLimit?: RateLimit | false;
  /** Where user streams live. Default: a MemoryDeliveryAdapter. */
  adapter?: DeliveryAdapter;
  /** The inbound router. Default: a new MessageRouter. */
  router?: MessageRouter;
  /** How long close() waits for clients to answer 1001 before terminating them. Default 5000. */
  closeTimeoutMs?: number;
  /**
   * How long a slow consumer (4008), a flooder (4010) or a refused client that offered
   * `unified-ws.v1` (4401, 4403, 4404, 4429, 4503) gets to take its close frame before it is
   * terminated. Default 1000.
   */
  slowConsumerGraceMs?: number;
  /** Where connection errors and refusals are reported (never with a token). Default: nowhere. */
  logger?: Logger;
}

type Defaulted =
  | 'path'
  | 'register'
  | 'maxConnectionsPerUser'
  | 'maxConnections'
  | 'maxConnectionsPerAddress'
  | 'headersTimeoutMs'
  | 'maxPayload'
  | 'heartbeatIntervalMs'
  | 'sendBudgetBytes'
  | 'sendHighWaterMark'
  | 'rateLimit'
  | 'closeTimeoutMs'
  | 'slowConsumerGraceMs';

export type ResolvedManagerOptions = WebSocketManagerOptions &
  Required<Pick<WebSocketManagerOptions, Defaulted>>;

export const MANAGER_DEFAULTS: Readonly<Required<Pick<WebSocketManagerOptions, Defaulted>>> = {
  path: '/ws',
  register: true,
  maxConnectionsPerUser: 16,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 100,
  headersTimeoutMs: 10_000,
  maxPayload: 1024 * 1024,
  heartbeatIntervalMs: 30_000,
  sendBudgetBytes: 4 * 1024 * 1024,
  sendHighWaterMark: 256 * 1024,
  rateLimit: { messages: 100, intervalMs: 1000 },
  closeTimeoutMs: 5000,
  slowConsumerGraceMs: 1000,
};

/** Spreads the defaults, then rejects impossible combinations with an OptionError. */
export function resolveOptions(options: WebSocketManagerOptions): ResolvedManagerOptions {
  if (typeof options?.authenticate !== 'function') {
    throw new OptionError(
      'WebSocketManager: `authenticate` is required (a function of the upgrade request)',
    );
  }
  const resolved: ResolvedManagerOptions = { ...MANAGER_DEFAULTS, ...options };
  if (resolved.server !== undefined && resolved.port !== undefined) {
    throw new OptionError('WebSocketManager: `server` and `port` are exclusive');
  }
  if (!resolved.path.startsWith('/'))
    throw new OptionError('WebSocketManager: `path` must start with "/"');
  for (const key of [
    'maxConnectionsPerUser',
    'maxConnections',
    'maxConnectionsPerAddress',
    'headersTimeoutMs',
    'maxPayload',
    'sendBudgetBytes',
    'sendHighWaterMark',
    'closeTimeoutMs',
  ] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1)
      throw new OptionError(`WebSocketManager: \`${key}\` must be a positive integer`);
  }
  for (const key of ['heartbeatIntervalMs', 'slowConsumerGraceMs'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 0)
      throw new OptionError(`WebSocketManager: \`${key}\` must be a non-negative integer`);
  }
  if (resolved.sendHighWaterMark >= resolved.sendBudgetBytes) {
    throw new OptionError('WebSocketManager: `sendHighWaterMark` must be below `sendBudgetBytes`');
  }
  if (resolved.rateLimit !== false) {
    if (!isRate(resolved.rateLimit))
      throw new OptionError(
        'WebSocketManager: `rateLimit` needs positive `messages` and `intervalMs`',
      );
    // Infinity turns a check off (or, for a resume, charging by size); anything else must be a
    // number of at least 1.
    for (const key of ['abuseFactor', 'abuseWindows', 'resumeBytesPerMessage'] as const) {
      const value = resolved.rateLimit[key];
      if (value !== undefined && !(value >= 1))
        throw new OptionError(
          `WebSocketManager: \`rateLimit.${key}\` must be at least 1 (Infinity: off)`,
        );
    }
    const { perUser } = resolved.rateLimit;
    if (perUser !== undefined && perUser !== false && !isRate(perUser))
      throw new OptionError(
        'WebSocketManager: `rateLimit.perUser` needs positive `messages` and `intervalMs` (or false)',
      );
  }
  return resolved;
}

/** A finite positive rate: `messages` per `intervalMs`. */
function isRate(limit: unknown): boolean {
  if (typeof limit !== 'object' || limit === null) return false;
  const { messages, intervalMs } = limit as Record<string, unknown>;
  return (
    typeof messages === 'number' &&
    typeof intervalMs === 'number' &&
    messages > 0 &&
    intervalMs > 0 &&
    Number.isFinite(messages) &&
    Number.isFinite(intervalMs)
  );
}
