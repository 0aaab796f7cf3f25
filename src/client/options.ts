import { OptionError } from '../errors/option-error';
import type { SocketFactory, TokenTransport } from './socket';

export interface ReconnectOptions {
  /** First delay, in ms. Default 250. */
  initialDelayMs?: number;
  /** Largest delay, in ms. Default 10000. Also the longest wait before resending a rate-limited resume. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Failed attempts in a row (since the last welcome) before giving up. Default Infinity. */
  maxRetries?: number;
}

export interface HeartbeatOptions {
  /** Ping when nothing was received for this long, in ms. Default 15000. */
  intervalMs?: number;
  /** Give the connection up when nothing arrives this long after a ping, in ms. Default 5000. */
  timeoutMs?: number;
}

export interface OfflineQueueOptions {
  /** Requests that may wait for a connection; the next one rejects with UWS_ERR_CLIENT_QUEUE_FULL. */
  maxSize: number;
}

export interface ClientOptions {
  /** e.g. ws://127.0.0.1:8080/ws */
  url: string;
  /** The bearer token, or a function returning a fresh one for each connection attempt. */
  token?: string | (() => string | Promise<string>);
  /**
   * How the global WebSocket factory presents the token: `'protocol'` (default) offers it as the
   * `unified-ws.bearer.<base64url>` subprotocol, out of the URL; `'query'` puts it in the `token`
   * query parameter, for servers that do not read the subprotocol yet. The Node entry always
   * sends the `Authorization` header.
   */
  tokenTransport?: TokenTransport;
  /** Default: the global WebSocket (browsers, Node ≥ 22); the Node entry uses ws. */
  createSocket?: SocketFactory;
  /** Backoff between reconnects, or false to never reconnect. */
  reconnect?: ReconnectOptions | false;
  /** The application-level heartbeat, or false to rely on the transport alone. */
  heartbeat?: HeartbeatOptions | false;
  /** A connection attempt that has no welcome after this long, in ms, fails. Default 10000. */
  connectTimeoutMs?: number;
  /** Default timeout of request(), in ms (Infinity: none). Default 10000. */
  requestTimeoutMs?: number;
  /**
   * A resume with no answer after this long, in ms, is given up: the connection is dropped and
   * resumed anew. Default 30000 (a replay is paced by the socket, so it may take a while).
   */
  resumeTimeoutMs?: number;
  /** Requests made while disconnected wait for the next connection. Default off. */
  offlineQueue?: OfflineQueueOptions | false;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface ResolvedClientOptions {
  url: string;
  token: ClientOptions['token'];
  tokenTransport: TokenTransport;
  createSocket: SocketFactory | undefined;
  reconnect: Required<ReconnectOptions> | false;
  heartbeat: Required<HeartbeatOptions> | false;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  resumeTimeoutMs: number;
  /** 0: no offline queue. */
  offlineQueueSize: number;
  random: () => number;
}

export const RECONNECT_DEFAULTS: Required<ReconnectOptions> = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  factor: 2,
  maxRetries: Infinity,
};

export const HEARTBEAT_DEFAULTS: Required<HeartbeatOptions> = {
  intervalMs: 15_000,
  timeoutMs: 5_000,
};

export const CLIENT_DEFAULTS = {
  tokenTransport: 'protocol',
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  resumeTimeoutMs: 30_000,
} as const;

/** setTimeout's largest delay: a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Spreads the defaults and rejects what cannot work with an OptionError naming the option. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options?.url !== 'string' || options.url === '')
    throw new OptionError('UnifiedWsClient: `url` must be a non-empty string');
  if (!/^wss?:$/.test(protocolOf(options.url)))
    throw new OptionError('UnifiedWsClient: `url` must be an absolute ws:// or wss:// URL');
  const { token } = options;
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'function')
    throw new OptionError('UnifiedWsClient: `token` must be a string or a function');
  const tokenTransport = options.tokenTransport ?? CLIENT_DEFAULTS.tokenTransport;
  if (tokenTransport !== 'protocol' && tokenTransport !== 'query')
    throw new OptionError("UnifiedWsClient: `tokenTransport` must be 'protocol' or 'query'");
  if (options.createSocket !== undefined && typeof options.createSocket !== 'function')
    throw new OptionError('UnifiedWsClient: `createSocket` must be a function');
  if (options.random !== undefined && typeof options.random !== 'function')
    throw new OptionError('UnifiedWsClient: `random` must be a function');

  let reconnect: Required<ReconnectOptions> | false = false;
  if (options.reconnect !== false) {
    reconnect = { ...RECONNECT_DEFAULTS, ...options.reconnect };
    checkDuration('reconnect.initialDelayMs', reconnect.initialDelayMs, { zero: true });
    checkDuration('reconnect.maxDelayMs', reconnect.maxDelayMs, { zero: true });
    if (reconnect.maxDelayMs < reconnect.initialDelayMs)
      throw new OptionError(
        'UnifiedWsClient: `reconnect.maxDelayMs` must not be below `reconnect.initialDelayMs`',
      );
    if (!(reconnect.factor >= 1) || !Number.isFinite(reconnect.factor))
      throw new OptionError('UnifiedWsClient: `reconnect.factor` must be a number of at least 1');
    const { maxRetries } = reconnect;
    if (!(maxRetries === Infinity || (Number.isSafeInteger(maxRetries) && maxRetries >= 0)))
      throw new OptionError(
        'UnifiedWsClient: `reconnect.maxRetries` must be a non-negative integer or Infinity',
      );
  }

  let heartbeat: Required<HeartbeatOptions> | false = false;
  if (options.heartbeat !== false) {
    heartbeat = { ...HEARTBEAT_DEFAULTS, ...options.heartbeat };
    checkDuration('heartbeat.intervalMs', heartbeat.intervalMs);
    checkDuration('heartbeat.timeoutMs', heartbeat.timeoutMs);
  }

  const connectTimeoutMs = options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs;
  const resumeTimeoutMs = options.resumeTimeoutMs ?? CLIENT_DEFAULTS.resumeTimeoutMs;
  checkDuration('connectTimeoutMs', connectTimeoutMs, { infinite: true });
  checkDuration('requestTimeoutMs', requestTimeoutMs, { infinite: true });
  checkDuration('resumeTimeoutMs', resumeTimeoutMs, { infinite: true });

  let offlineQueueSize = 0;
  if (options.offlineQueue !== undefined && options.offlineQueue !== false) {
    offlineQueueSize = options.offlineQueue.maxSize;
    if (!Number.isSafeInteger(offlineQueueSize) || offlineQueueSize < 1)
      throw new OptionError('UnifiedWsClient: `offlineQueue.maxSize` must be a positive integer');
  }

  return {
    url: options.url,
    token,
    tokenTransport,
    createSocket: options.createSocket,
    reconnect,
    heartbeat,
    connectTimeoutMs,
    requestTimeoutMs,
    resumeTimeoutMs,
    offlineQueueSize,
    random: options.random ?? Math.random,
  };
}

/**
 * A duration in ms: positive (or zero where `zero`), at most what setTimeout can wait, or
 * Infinity (no timer at all) where `infinite`.
 */
export function checkDuration(
  name: string,
  value: unknown,
  allow: { zero?: boolean; infinite?: boolean } = {},
): void {
  if (allow.infinite && value === Infinity) return;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value <= MAX_TIMER_MS &&
    (allow.zero ? value >= 0 : value > 0);
  if (!ok)
    throw new OptionError(
      `UnifiedWsClient: \`${name}\` must be a number of ms, ${allow.zero ? 'at least 0' : 'above 0'} and at most ${MAX_TIMER_MS}${allow.infinite ? ', or Infinity' : ''}`,
    );
}

/** The scheme of an absolute URL ('ws:'), or '' for what is not one (no URL.canParse: Safari < 17). */
function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}
