import { ClientError, isClientError } from '../errors/client-error';
import {
  PING_TYPE,
  PONG_TYPE,
  RESUME_TYPE,
  type AckFrame,
  type Envelope,
  type ErrorFrame,
  type ResumedFrame,
  type StreamPosition,
  type WelcomeFrame,
} from '../protocol/envelope';
import { Emitter, LIFECYCLE_EVENTS, type AppEvents, type ClientEvents } from './events';
import { Heartbeat } from './heartbeat';
import {
  RECONNECT_DEFAULTS,
  checkDuration,
  resolveClientOptions,
  type ClientOptions,
  type ResolvedClientOptions,
} from './options';
import { CLIENT_CLOSE_CODES, refusalOf } from './refusals';
import { Requests } from './requests';
import {
  detach,
  globalWebSocketFactory,
  refusedStatus,
  type SocketFactory,
  type WebSocketLike,
} from './socket';

export { globalWebSocketFactory } from './socket';
export type { SocketFactory, WebSocketLike } from './socket';
export type { ClientOptions, ReconnectOptions } from './options';
export type { ClientEvents } from './events';

/** `idle`: not started, or stopped; `connecting`: an attempt or a backoff is under way; `open`: welcomed. */
export type ClientState = 'idle' | 'connecting' | 'open';

export interface RequestOptions {
  /** Overrides the client's requestTimeoutMs for this request (Infinity: none). */
  timeoutMs?: number;
}

/** Resends of a rate-limited resume on one connection before resuming on a new one. */
const RESUME_RETRIES = 3;

// Ids name what they answer: a request (c…), a resume (r…) or a ping (p…). An error frame for a
// resume given up already, or for a ping, is not news for the application.
const REQUEST_ID = 'c';
const RESUME_ID = 'r';
const PING_ID = 'p';

interface Deferred {
  promise: Promise<WelcomeFrame>;
  resolve(frame: WelcomeFrame): void;
  reject(error: ClientError): void;
}

interface Resuming {
  /** The id of the resume sent last: an error frame with it answers the resume. */
  id: string;
  /** Stream envelopes received between sending resume and its answer. */
  buffer: Envelope[];
  /** Resends after RATE_LIMITED on this connection. */
  retries: number;
}

/**
 * A client for the unified-ws protocol: reconnects with jittered exponential backoff, resumes from
 * the last seq it saw, and hands each stream envelope to listeners exactly once, in order. It
 * checks liveness with an application-level ping, times requests out, and stops for good on a
 * refusal no retry can change (unauthorized, forbidden, not found).
 *
 * `App` declares the application's own envelope types and their payloads, for typed listeners:
 * `new UnifiedWsClient<{ notice: { text: string } }>(…).on('notice', (payload) => payload.text)`.
 */
export class UnifiedWsClient<App extends AppEvents<App> = {}> extends Emitter<ClientEvents<App>> {
  private readonly options: ResolvedClientOptions;
  private readonly createSocket: SocketFactory;
  private readonly requests: Requests;
  private readonly heartbeat: Heartbeat | undefined;
  private stateValue: ClientState = 'idle';
  private socket: WebSocketLike | undefined;
  private welcome: WelcomeFrame | undefined;
  private position: StreamPosition | undefined;
  private resuming: Resuming | undefined;
  /** Until when (performance.now()) the server's last RATE_LIMITED asks this connection to wait. */
  private rateLimitedUntil = 0;
  /** What connect() returns until the next welcome. */
  private waiting: Deferred | undefined;
  /** Failed attempts since the last welcome. */
  private attempt = 0;
  /** A token function got its one more try after 4401, since the last welcome. */
  private tokenRefreshed = false;
  /** Bumped by connect() from idle and by close(): work of an older session stops. */
  private session = 0;
  /** Bumped by each connection attempt, and by one that timed out before its socket. */
  private attemptId = 0;
  private nextId = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ClientOptions) {
    super();
    this.options = resolveClientOptions(options);
    this.createSocket = this.options.createSocket ?? globalWebSocketFactory;
    this.requests = new Requests(this.options.offlineQueueSize);
    const { heartbeat } = this.options;
    this.heartbeat = heartbeat
      ? new Heartbeat(
          heartbeat.intervalMs,
          heartbeat.timeoutMs,
          () => this.ping(),
          () => this.abandon(CLIENT_CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout', false),
        )
      : undefined;
  }

  /** The last stream position seen: what a reconnect resumes from. */
  get lastPosition(): StreamPosition | undefined {
    return this.position && { ...this.position };
  }

  /** True from a welcome until its connection ends (or is given up by the heartbeat). */
  get connected(): boolean {
    return this.stateValue === 'open';
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /**
   * Connects; resolves with the next welcome (at once with the current one when connected). Calling
   * it again while connecting returns the same promise and never opens a second socket. Rejects
   * when the client stops: a refusal, reconnect.maxRetries exhausted, close(). An ignored promise
   * never raises an unhandled rejection (listen to `error`).
   */
  connect(): Promise<WelcomeFrame> {
    if (this.stateValue === 'open' && this.welcome) return Promise.resolve(this.welcome);
    if (this.waiting === undefined) {
      let resolve!: Deferred['resolve'];
      let reject!: Deferred['reject'];
      const promise = new Promise<WelcomeFrame>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      this.waiting = { promise, resolve, reject };
    }
    const { promise } = this.waiting;
    if (this.stateValue === 'idle') {
      this.stateValue = 'connecting';
      this.session++;
      this.attempt = 0;
      this.tokenRefreshed = false;
      void this.open(this.session);
    }
    return promise;
  }

  /**
   * Sends a message; resolves with its ack, rejects with the server's error frame
   * (UWS_ERR_CLIENT_REQUEST_FAILED), after its timeout (UWS_ERR_CLIENT_REQUEST_TIMEOUT), or when the
   * connection drops first (UWS_ERR_CLIENT_NOT_CONNECTED: it is not sent again). While
   * disconnected it waits in the offline queue when there is one, else rejects at once.
   */
  request<T = unknown>(
    type: string,
    payload?: unknown,
    options: RequestOptions = {},
  ): Promise<AckFrame & { payload?: T }> {
    return this.start(type, payload, options) as Promise<AckFrame & { payload?: T }>;
  }

  private start(type: string, payload: unknown, options: RequestOptions): Promise<AckFrame> {
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    try {
      checkDuration('timeoutMs', timeoutMs, { infinite: true });
    } catch (error) {
      return Promise.reject(error);
    }
    const id = `${REQUEST_ID}${++this.nextId}`;
    const text = JSON.stringify({ type, id, payload });
    const socket = this.socket;
    // Behind queued requests while they wait for the resume: requests keep their order.
    if (this.stateValue === 'open' && socket && !this.requests.hasQueued)
      return this.requests.send(id, text, timeoutMs, (frame) => socket.send(frame));
    if (this.stateValue !== 'idle' && this.requests.queueEnabled)
      return this.requests.enqueue(id, text, timeoutMs);
    return Promise.reject(new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED'));
  }

  /** Sends a message without waiting for an answer; throws when not connected (never queued). */
  send(type: string, payload?: unknown): void {
    const socket = this.socket;
    if (this.stateValue !== 'open' || !socket)
      throw new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED');
    socket.send(JSON.stringify({ type, payload }));
  }

  /**
   * Closes for good (until the next connect()): no reconnect; pending and queued requests and a
   * pending connect() reject with UWS_ERR_CLIENT_CLOSED. A connection that was open emits its
   * `close` (1000) here, synchronously; after close() returns, no event, frame or timer of the
   * client remains. The position is kept: a later connect() resumes from it.
   */
  close(): void {
    const socket = this.socket;
    const wasOpen = this.stateValue === 'open';
    this.session++;
    this.stateValue = 'idle';
    this.socket = undefined;
    this.welcome = undefined;
    this.endConnection();
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (socket) {
      detach(socket);
      socket.close(1000, 'client closed');
    }
    const error = new ClientError('UWS_ERR_CLIENT_CLOSED');
    this.requests.rejectAll(error);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
    if (wasOpen) this.emit('close', { code: 1000, reason: 'client closed', willReconnect: false });
  }

  /**
   * One connection attempt of `session`. connectTimeoutMs covers all of it: the token function,
   * the upgrade and the welcome.
   */
  private async open(session: number): Promise<void> {
    const attempt = ++this.attemptId;
    this.startConnectTimer(attempt);
    let token: string | undefined;
    try {
      const source = this.options.token;
      token = typeof source === 'function' ? await source() : source;
    } catch (error) {
      if (session !== this.session || attempt !== this.attemptId) return;
      this.failed(
        new ClientError('UWS_ERR_CLIENT_CONNECT_FAILED', {
          message: 'The token function failed.',
          cause: error,
        }),
        undefined,
      );
      return;
    }
    // A close(), or this attempt timed out while the token function ran.
    if (session !== this.session || attempt !== this.attemptId || this.socket) return;
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.options.url, token, {
        tokenTransport: this.options.tokenTransport,
      });
    } catch (error) {
      // No WebSocket, or a URL or header it refuses: no retry can help.
      const failure = isClientError(error)
        ? error
        : new ClientError('UWS_ERR_CLIENT_CONNECT_FAILED', {
            message: `Could not open a WebSocket to ${withoutQuery(this.options.url)}.`,
            cause: error,
          });
      this.emit('connect_error', failure);
      if (session === this.session) this.stop(failure, true);
      return;
    }
    this.attach(socket);
  }

  private attach(socket: WebSocketLike): void {
    this.socket = socket;
    let httpStatus: number | undefined;
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.heartbeat?.heard();
      this.onFrame(event.data);
    };
    socket.onerror = (event) => {
      httpStatus ??= refusedStatus(event);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.ended(event.code, event.reason, httpStatus);
    };
  }

  private startConnectTimer(attempt: number): void {
    this.clearConnectTimer();
    const { connectTimeoutMs } = this.options;
    if (!Number.isFinite(connectTimeoutMs)) return;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined;
      if (attempt !== this.attemptId) return;
      const { CONNECT_TIMEOUT } = CLIENT_CLOSE_CODES;
      if (this.socket) return this.abandon(CONNECT_TIMEOUT, 'connect timeout', false);
      // Still waiting for the token function: this attempt is over, whatever it returns later.
      this.attemptId++;
      this.failed(
        new ClientError('UWS_ERR_CLIENT_CONNECT_FAILED', {
          message: `The token function did not answer within connectTimeoutMs (${connectTimeoutMs} ms).`,
          closeCode: CONNECT_TIMEOUT,
          closeReason: 'connect timeout',
        }),
        undefined,
      );
    }, connectTimeoutMs);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  /**
   * Gives the current socket up without waiting for its close event: `graceful` closes it with
   * `code` (the server is there to answer), else it is terminated where the platform can (ws), as
   * the peer may never answer a close.
   */
  private abandon(code: number, reason: string, graceful: boolean): void {
    const socket = this.socket;
    if (!socket) return;
    detach(socket);
    if (!graceful && socket.terminate) socket.terminate();
    else socket.close(code, reason);
    this.ended(code, reason, undefined);
  }

  /** Clears what belongs to one connection: its timers, heartbeat and resume. */
  private endConnection(): void {
    this.clearConnectTimer();
    if (this.resumeTimer !== undefined) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.heartbeat?.stop();
    this.resuming = undefined;
    this.rateLimitedUntil = 0;
  }

  /** The current socket ended (its close event, or given up by the client). */
  private ended(code: number, reason: string, httpStatus: number | undefined): void {
    const session = this.session;
    const wasOpen = this.stateValue === 'open';
    this.socket = undefined;
    this.welcome = undefined;
    this.stateValue = 'connecting';
    this.endConnection();
    const details = { closeCode: code, closeReason: reason, httpStatus };
    this.requests.rejectSent(
      new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED', {
        message: 'The connection closed before the answer came.',
        ...details,
      }),
    );
    const refusal = refusalOf(code, httpStatus);
    if (wasOpen && refusal === undefined) {
      const willReconnect = this.canRetry();
      this.emit('close', { code, reason, willReconnect });
      if (session !== this.session) return;
      const closed = new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED', {
        message: `The connection closed (${code}${reason ? ` ${reason}` : ''}) and the client does not reconnect.`,
        ...details,
      });
      if (willReconnect) this.schedule();
      else if (this.options.reconnect === false) this.stop(closed, false);
      else this.reconnectFailed(closed);
      return;
    }
    const error = refusal
      ? new ClientError(refusal, details)
      : new ClientError('UWS_ERR_CLIENT_CONNECT_FAILED', {
          message: `The connection attempt ended before its welcome (${httpStatus === undefined ? code : `HTTP ${httpStatus}`}${reason ? ` ${reason}` : ''}).`,
          ...details,
        });
    if (wasOpen) this.emit('close', { code, reason, willReconnect: this.refreshes(refusal) });
    if (session !== this.session) return;
    this.failed(error, refusal, !wasOpen);
  }

  /**
   * A connection attempt failed (or a refusal ended an open connection): `connect_error`, then one
   * more try with a fresh token, a reconnect, or the end of the client's attempts.
   */
  private failed(
    error: ClientError,
    refusal: ClientError['code'] | undefined,
    attempt = true,
  ): void {
    const session = this.session;
    this.stateValue = 'connecting';
    this.clearConnectTimer();
    if (attempt) this.emit('connect_error', error);
    if (session !== this.session) return;
    if (this.refreshes(refusal)) {
      this.tokenRefreshed = true;
      void this.open(session);
      return;
    }
    if (refusal !== undefined) return this.stop(error, true);
    if (this.canRetry()) return this.schedule();
    if (this.options.reconnect === false) return this.stop(error, false);
    this.reconnectFailed(error);
  }

  /** reconnect.maxRetries attempts failed in a row: `reconnect_failed`, and the client stops. */
  private reconnectFailed(last: ClientError): void {
    const session = this.session;
    const failure = new ClientError('UWS_ERR_CLIENT_RECONNECT_FAILED', {
      message: `Gave up after ${this.attempt} failed reconnect attempts (reconnect.maxRetries).`,
      cause: last,
      closeCode: last.closeCode,
      closeReason: last.closeReason,
      httpStatus: last.httpStatus,
    });
    this.emit('reconnect_failed', failure);
    if (session === this.session) this.stop(failure, true);
  }

  /** A token function gets one more try, at once and with a fresh token, after 4401 / HTTP 401. */
  private refreshes(refusal: ClientError['code'] | undefined): boolean {
    return (
      refusal === 'UWS_ERR_CLIENT_UNAUTHORIZED' &&
      typeof this.options.token === 'function' &&
      !this.tokenRefreshed
    );
  }

  private canRetry(): boolean {
    const { reconnect } = this.options;
    return reconnect !== false && this.attempt < reconnect.maxRetries;
  }

  /** The client stops trying: every request and a pending connect() reject with `error`. */
  private stop(error: ClientError, report: boolean): void {
    this.stateValue = 'idle';
    this.clearConnectTimer();
    this.requests.rejectAll(error);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
    if (report) this.emit('error', error);
  }

  private schedule(): void {
    const reconnect = this.options.reconnect || RECONNECT_DEFAULTS;
    const attempt = ++this.attempt;
    const base = Math.min(
      reconnect.maxDelayMs,
      reconnect.initialDelayMs * reconnect.factor ** (attempt - 1),
    );
    // Jitter between half and all of the delay keeps a fleet of clients from reconnecting in
    // lockstep after a node restarts.
    // Whole milliseconds: what timers honour, and what a listener shows.
    const delayMs = Math.round(base / 2 + (base / 2) * this.options.random());
    const session = this.session;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.open(session);
    }, delayMs);
    this.emit('reconnect_attempt', { attempt, delayMs });
  }

  private ping(): void {
    this.socket?.send(JSON.stringify({ type: PING_TYPE, id: `${PING_ID}${++this.nextId}` }));
  }

  private onFrame(data: unknown): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(
        typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer),
      ) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame as unknown as WelcomeFrame);
      case 'resumed':
        return this.onResumed(frame as unknown as ResumedFrame);
      case 'ack':
        this.requests.settle(String(frame.id), frame as unknown as AckFrame);
        return;
      case 'error':
        return this.onError(frame as unknown as ErrorFrame);
      case PONG_TYPE:
        return; // The heartbeat heard it already; that is all a pong is for.
      default:
        if (typeof frame.seq !== 'number') return;
        this.onEnvelope(frame as unknown as Envelope);
    }
  }

  private onWelcome(frame: WelcomeFrame): void {
    if (this.stateValue === 'open') return;
    this.clearConnectTimer();
    this.stateValue = 'open';
    this.welcome = frame;
    this.attempt = 0;
    this.tokenRefreshed = false;
    this.heartbeat?.start();
    if (this.position) this.resume([]);
    else this.position = { epoch: frame.epoch, seq: frame.seq };
    const session = this.session;
    this.emit('open', frame);
    if (session !== this.session) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(frame);
    if (!this.resuming) this.flushQueue();
  }

  /** Queued requests go after the welcome, or after the resume when there is one. */
  private flushQueue(): void {
    const socket = this.socket;
    if (this.stateValue === 'open' && socket) this.requests.flush((text) => socket.send(text));
  }

  /**
   * Envelopes of one epoch arrive in seq order, one apart, except where back-pressure replaced an
   * `agent_thinking` by a newer one of the same run (so the skip always lands on an
   * `agent_thinking`). A skip landing on any other type is a loss: resume rather than go on.
   */
  private onEnvelope(envelope: Envelope): void {
    if (this.resuming) {
      this.resuming.buffer.push(envelope);
      return;
    }
    const position = this.position;
    if (
      position &&
      envelope.epoch === position.epoch &&
      envelope.seq > position.seq + 1 &&
      envelope.type !== 'agent_thinking'
    ) {
      this.emit('gap', { epoch: position.epoch, after: position.seq, seq: envelope.seq });
      if (this.socket) this.resume([envelope]);
      return;
    }
    this.accept(envelope);
  }

  /** Asks for everything after the last seq seen; envelopes wait in the buffer until `resumed`. */
  private resume(buffer: Envelope[]): void {
    this.resuming = { id: '', buffer, retries: 0 };
    this.sendResume();
  }

  /**
   * Sends the resume, once the server's last RATE_LIMITED allows (one sent before that would be
   * dropped unread, possibly without any answer), and gives it resumeTimeoutMs to be answered.
   */
  private sendResume(): void {
    const { resuming, socket } = this;
    if (!resuming || !socket) return;
    if (this.resumeTimer !== undefined) clearTimeout(this.resumeTimer);
    const wait = this.rateLimitedUntil - performance.now();
    if (wait > 0) {
      this.resumeTimer = setTimeout(() => {
        this.resumeTimer = undefined;
        this.sendResume();
      }, wait);
      return;
    }
    resuming.id = `${RESUME_ID}${++this.nextId}`;
    socket.send(JSON.stringify({ type: RESUME_TYPE, id: resuming.id, payload: this.position }));
    const { resumeTimeoutMs } = this.options;
    this.resumeTimer = Number.isFinite(resumeTimeoutMs)
      ? setTimeout(() => {
          this.resumeTimer = undefined;
          this.abandon(CLIENT_CLOSE_CODES.RESUME_RETRY, 'resume timeout', true);
        }, resumeTimeoutMs)
      : undefined;
  }

  /**
   * What arrived while resuming is the replay plus live envelopes the server sent before it read
   * the resume; the replay covers those too, so sorting and deduping by seq yields each missed
   * envelope once, in order. Without recovery the position jumps to the server's head.
   */
  private onResumed(frame: ResumedFrame): void {
    const resuming = this.resuming;
    // The answer to a resume sent again after RATE_LIMITED while the first was answered: its
    // replay was deduplicated already.
    if (!resuming) return;
    if (this.resumeTimer !== undefined) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.resuming = undefined;
    const session = this.session;
    if (frame.recovered) {
      const buffered = resuming.buffer.sort((a, b) => a.seq - b.seq);
      for (const envelope of buffered) {
        if (envelope.epoch === frame.epoch) this.onEnvelope(envelope);
        if (session !== this.session) return;
      }
      if (this.resuming) {
        // A gap among them started another resume: the position stays at the last seq delivered.
        this.emit('resumed', frame);
        return;
      }
    }
    this.position = {
      epoch: frame.epoch,
      seq: Math.max(frame.seq, frame.recovered ? (this.position?.seq ?? 0) : frame.seq),
    };
    this.emit('resumed', frame);
    if (session === this.session && !this.resuming) this.flushQueue();
  }

  private onError(frame: ErrorFrame): void {
    const { id } = frame;
    const retryAfterMs = retryAfterOf(frame);
    if (frame.code === 'RATE_LIMITED' && retryAfterMs !== undefined)
      this.rateLimitedUntil = Math.max(
        this.rateLimitedUntil,
        performance.now() + Math.min(retryAfterMs, this.resumeWaitBound()),
      );
    if (id?.startsWith(PING_ID)) return; // An older server without pong: any answer is liveness.
    const resuming = this.resuming;
    // A resume the server dropped unread is answered only by its window's RATE_LIMITED, which
    // carries no id: while resuming, that one counts as the resume's answer too.
    if (resuming && (id === resuming.id || (id === undefined && frame.code === 'RATE_LIMITED')))
      return this.resumeRefused(frame, retryAfterMs);
    if (id?.startsWith(RESUME_ID)) return; // For a resume given up already.
    const error = new ClientError('UWS_ERR_CLIENT_REQUEST_FAILED', {
      message: `${frame.code}: ${frame.message}`,
      frame,
    });
    if (id === undefined || !this.requests.settle(id, undefined, error)) this.emit('error', error);
  }

  /**
   * The resume was not answered: RATE_LIMITED is resent after retryAfterMs on this connection (at
   * most RESUME_RETRIES times, and waits up to reconnect.maxDelayMs); anything else (RESUME_FAILED,
   * INVALID_PAYLOAD) drops the connection to resume on a new one, with backoff. Buffering on would
   * hold every envelope back for good.
   */
  private resumeRefused(frame: ErrorFrame, retryAfterMs: number | undefined): void {
    const resuming = this.resuming as Resuming;
    // An earlier resume of ours is being answered; its `resumed` ends this one.
    if (frame.code === 'RESUME_IN_PROGRESS') return;
    const session = this.session;
    this.emit(
      'error',
      new ClientError('UWS_ERR_CLIENT_REQUEST_FAILED', {
        message: `${frame.code}: ${frame.message}`,
        frame,
      }),
    );
    if (session !== this.session || this.resuming !== resuming) return;
    if (
      frame.code === 'RATE_LIMITED' &&
      retryAfterMs !== undefined &&
      retryAfterMs <= this.resumeWaitBound() &&
      resuming.retries < RESUME_RETRIES
    ) {
      resuming.retries++;
      this.sendResume();
      return;
    }
    this.abandon(CLIENT_CLOSE_CODES.RESUME_RETRY, 'resume failed', true);
  }

  private resumeWaitBound(): number {
    return (this.options.reconnect || RECONNECT_DEFAULTS).maxDelayMs;
  }

  /** Delivers an envelope unless it was seen already (same epoch, seq not above the last). */
  private accept(envelope: Envelope): void {
    const position = this.position;
    if (position && envelope.epoch === position.epoch && envelope.seq <= position.seq) return;
    this.position = { epoch: envelope.epoch, seq: envelope.seq };
    const session = this.session;
    this.emit('envelope', envelope);
    if (session === this.session && !LIFECYCLE_EVENTS.has(envelope.type))
      this.emit(envelope.type, envelope.payload, envelope);
  }
}

/** The URL for a message: without its query, where a token might be. */
function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}

function retryAfterOf(frame: ErrorFrame): number | undefined {
  const value = (frame as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
