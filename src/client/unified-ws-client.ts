import { ClientError } from '../errors/client-error';
import type {
  AckFrame,
  AgentEventPayloads,
  AgentEventType,
  Envelope,
  ErrorFrame,
  ResumedFrame,
  StreamPosition,
  WelcomeFrame,
} from '../protocol/envelope';

/** The part of the WebSocket API the client uses: the browser's and ws's both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to `url` presenting `token` (header where the platform allows, else query). */
export type SocketFactory = (url: string, token: string | undefined) => WebSocketLike;

export interface ReconnectOptions {
  /** First delay, in ms. Default 250. */
  initialDelayMs?: number;
  /** Largest delay, in ms. Default 10000. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Attempts after a drop before giving up. Default Infinity. */
  maxRetries?: number;
}

export interface ClientOptions {
  /** e.g. ws://127.0.0.1:8080/ws */
  url: string;
  /** The bearer token, or a function returning a fresh one for each connection attempt. */
  token?: string | (() => string | Promise<string>);
  /** Default: the global WebSocket (browsers, Node ≥ 22) with the token as a query parameter. */
  createSocket?: SocketFactory;
  /** Backoff between reconnects, or false to never reconnect. */
  reconnect?: ReconnectOptions | false;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

type AgentEventListeners = {
  [K in AgentEventType]: [
    payload: AgentEventPayloads[K],
    envelope: Envelope<AgentEventPayloads[K]>,
  ];
};

export interface ClientEvents extends AgentEventListeners {
  /** Every stream envelope, once, in seq order. */
  envelope: [Envelope];
  open: [WelcomeFrame];
  resumed: [ResumedFrame];
  /**
   * An envelope arrived with seq past `after + 1`, at a type that back-pressure never coalesces:
   * envelopes were lost on the way. The client resumes from `after` on the same connection (the
   * replay fills the gap, or `resumed` says `recovered: false`). A healthy server never causes one.
   */
  gap: [{ epoch: string; after: number; seq: number }];
  /** An error frame that answered no pending request, or a client-side failure. */
  error: [ClientError];
  close: [{ code: number; reason: string; willReconnect: boolean }];
}

const RECONNECT_DEFAULTS: Required<ReconnectOptions> = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  factor: 2,
  maxRetries: Infinity,
};
const OPEN = 1;
/** Sent by the client when it drops a connection whose resume failed, to resume on a new one. */
const RESUME_RETRY_CODE = 4000;

type Listener = (...args: unknown[]) => void;

interface Pending {
  resolve(frame: AckFrame): void;
  reject(error: ClientError): void;
}

/**
 * A client for the unified-ws protocol: reconnects with jittered exponential backoff, resumes from
 * the last seq it saw, and hands each stream envelope to listeners exactly once, in order.
 */
export class UnifiedWsClient {
  private readonly listeners = new Map<keyof ClientEvents, Set<Listener>>();
  private readonly reconnect: Required<ReconnectOptions> | false;
  private readonly createSocket: SocketFactory;
  private readonly pending = new Map<string, Pending>();
  private socket: WebSocketLike | undefined;
  private position: StreamPosition | undefined;
  /** Stream envelopes received between sending resume and its answer. */
  private resumeBuffer: Envelope[] | undefined;
  /** The id of the resume in flight, so that an error frame answering it is recognised. */
  private resumeId: string | undefined;
  private attempt = 0;
  private nextId = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstOpen:
    { resolve(frame: WelcomeFrame): void; reject(error: unknown): void } | undefined;

  constructor(private readonly options: ClientOptions) {
    this.reconnect =
      options.reconnect === false ? false : { ...RECONNECT_DEFAULTS, ...options.reconnect };
    this.createSocket = options.createSocket ?? globalWebSocketFactory;
  }

  /** The last stream position seen: what a reconnect resumes from. */
  get lastPosition(): StreamPosition | undefined {
    return this.position && { ...this.position };
  }

  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  on<E extends keyof ClientEvents>(
    event: E,
    listener: (...args: ClientEvents[E]) => void,
  ): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as unknown as Listener;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Connects; resolves with the first welcome. Later drops reconnect on their own. */
  connect(): Promise<WelcomeFrame> {
    this.stopped = false;
    return new Promise((resolve, reject) => {
      this.firstOpen = { resolve, reject };
      void this.open();
    });
  }

  /** Sends a message; resolves with its ack, rejects with the server's error frame. */
  request<T = unknown>(type: string, payload?: unknown): Promise<AckFrame & { payload?: T }> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN)
      return Promise.reject(new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED'));
    const id = `c${++this.nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      socket.send(JSON.stringify({ type, id, payload }));
    });
  }

  /** Sends a message without waiting for an answer. */
  send(type: string, payload?: unknown): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN)
      throw new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED');
    socket.send(JSON.stringify({ type, payload }));
  }

  /** Closes for good: no reconnect; pending requests reject with UWS_ERR_CLIENT_CLOSED. */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.socket?.close(1000, 'client closed');
    this.failPending(new ClientError('UWS_ERR_CLIENT_CLOSED'));
    this.firstOpen?.reject(new ClientError('UWS_ERR_CLIENT_CLOSED'));
    this.firstOpen = undefined;
  }

  private async open(): Promise<void> {
    const token =
      typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (this.stopped) return;
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.options.url, token);
    } catch (error) {
      this.firstOpen?.reject(error);
      this.firstOpen = undefined;
      return;
    }
    this.socket = socket;
    let unauthorized = false;
    socket.onmessage = (event) => this.onFrame(event.data);
    socket.onerror = (event) => {
      // ws reports the refused upgrade as this message; browsers expose no status at all.
      if (/\b401\b/.test(String((event as { message?: unknown })?.message ?? '')))
        unauthorized = true;
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.resumeBuffer = undefined;
      this.resumeId = undefined;
      this.failPending(
        new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED', {
          message: 'The connection closed before the answer came.',
        }),
      );
      const willReconnect =
        !this.stopped &&
        !unauthorized &&
        this.reconnect !== false &&
        this.attempt < this.reconnect.maxRetries;
      this.emit('close', { code: event.code, reason: event.reason, willReconnect });
      if (unauthorized) {
        const error = new ClientError('UWS_ERR_CLIENT_UNAUTHORIZED');
        this.emit('error', error);
        this.firstOpen?.reject(error);
        this.firstOpen = undefined;
      }
      if (willReconnect) this.schedule();
      else if (!unauthorized && this.firstOpen) {
        this.firstOpen.reject(
          new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED', {
            message: `Connection closed (${event.code}).`,
          }),
        );
        this.firstOpen = undefined;
      }
    };
  }

  private schedule(): void {
    const reconnect = this.reconnect as Required<ReconnectOptions>;
    const base = Math.min(
      reconnect.maxDelayMs,
      reconnect.initialDelayMs * reconnect.factor ** this.attempt++,
    );
    // Full-range jitter between half and all of the delay keeps a fleet of clients from
    // reconnecting in lockstep after a node restarts.
    const delay = base / 2 + (base / 2) * (this.options.random ?? Math.random)();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, delay);
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
        return this.onAck(frame as unknown as AckFrame);
      case 'error':
        return this.onError(frame as unknown as ErrorFrame);
      default:
        if (typeof frame.seq !== 'number') return;
        this.onEnvelope(frame as unknown as Envelope);
    }
  }

  /**
   * Envelopes of one epoch arrive in seq order, one apart, except where back-pressure replaced an
   * `agent_thinking` by a newer one of the same run (so the skip always lands on an
   * `agent_thinking`). A skip landing on any other type is a loss: resume rather than go on.
   */
  private onEnvelope(envelope: Envelope): void {
    if (this.resumeBuffer) {
      this.resumeBuffer.push(envelope);
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
      this.resume([envelope]);
      return;
    }
    this.accept(envelope);
  }

  /** Asks for everything after the last seq seen; envelopes wait in `buffer` until `resumed`. */
  private resume(buffer: Envelope[]): void {
    this.resumeBuffer = buffer;
    this.resumeId = `r${++this.nextId}`;
    this.socket?.send(
      JSON.stringify({ type: 'resume', id: this.resumeId, payload: this.position }),
    );
  }

  private onWelcome(frame: WelcomeFrame): void {
    this.attempt = 0;
    if (this.position) {
      this.resume([]);
    } else {
      this.position = { epoch: frame.epoch, seq: frame.seq };
    }
    this.emit('open', frame);
    this.firstOpen?.resolve(frame);
    this.firstOpen = undefined;
  }

  /**
   * What arrived while resuming is the replay plus live envelopes the server sent before it read
   * the resume; the replay covers those too, so sorting and deduping by seq yields each missed
   * envelope once, in order. Without recovery the position jumps to the server's head.
   */
  private onResumed(frame: ResumedFrame): void {
    const buffered = this.resumeBuffer ?? [];
    this.resumeBuffer = undefined;
    this.resumeId = undefined;
    if (frame.recovered) {
      buffered.sort((a, b) => a.seq - b.seq);
      for (const envelope of buffered)
        if (envelope.epoch === frame.epoch) this.onEnvelope(envelope);
      if (this.resumeBuffer) {
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
  }

  private onAck(frame: AckFrame): void {
    const pending = this.pending.get(frame.id);
    this.pending.delete(frame.id);
    pending?.resolve(frame);
  }

  private onError(frame: ErrorFrame): void {
    const error = new ClientError('UWS_ERR_CLIENT_REQUEST_FAILED', {
      message: `${frame.code}: ${frame.message}`,
      frame,
    });
    if (frame.id !== undefined && frame.id === this.resumeId) {
      // The resume was not answered (RESUME_FAILED: the stream could not be read). Buffering on
      // would hold every envelope back for good; reconnecting resumes again, with backoff.
      this.resumeId = undefined;
      this.emit('error', error);
      this.socket?.close(RESUME_RETRY_CODE, 'resume failed');
      return;
    }
    const pending = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (pending && frame.id !== undefined) {
      this.pending.delete(frame.id);
      pending.reject(error);
    } else {
      this.emit('error', error);
    }
  }

  /** Delivers an envelope unless it was seen already (same epoch, seq not above the last). */
  private accept(envelope: Envelope): void {
    const position = this.position;
    if (position && envelope.epoch === position.epoch && envelope.seq <= position.seq) return;
    this.position = { epoch: envelope.epoch, seq: envelope.seq };
    this.emit('envelope', envelope);
    this.emit(envelope.type as AgentEventType, envelope.payload as never, envelope as never);
  }

  private failPending(error: ClientError): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private emit<E extends keyof ClientEvents>(event: E, ...args: ClientEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of set) listener(...args);
  }
}

/** Browsers (and Node ≥ 22): the global WebSocket, token in the query (headers cannot be set). */
export const globalWebSocketFactory: SocketFactory = (url, token) => {
  const WebSocketImpl = (globalThis as { WebSocket?: new (url: string) => WebSocketLike })
    .WebSocket;
  if (!WebSocketImpl) throw new ClientError('UWS_ERR_CLIENT_NO_WEBSOCKET');
  if (token === undefined) return new WebSocketImpl(url);
  const target = new URL(url);
  target.searchParams.set('token', token);
  return new WebSocketImpl(target.toString());
};
