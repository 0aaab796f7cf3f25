import type WebSocket from 'ws';
import type { RawData } from 'ws';
import { decodeInbound, errorFrame } from '../protocol/codec';
import { CLOSE_CODES } from '../protocol/codes';
import {
  PING_TYPE,
  PONG_TYPE,
  PROTOCOL_VERSION,
  RESUME_TYPE,
  type ControlFrame,
  type ErrorFrame,
  type InboundMessage,
  type StreamPosition,
} from '../protocol/envelope';
import type { RouteContext } from '../router/message-router';
import type { DeliveryAdapter, StoredEnvelope } from '../scale/delivery-adapter';
import type { Logger } from './options';
import { Outbox, type Corkable, type OutboxCounters, type OutboxLimits } from './outbox';
import { RATE_LIMIT_DEFAULTS, RateLimiter, type RateLimit, type RateVerdict } from './rate-limiter';
import type { TokenBucket } from './token-bucket';

/** The manager's options a connection reads. */
export interface ConnectionOptions extends OutboxLimits {
  rateLimit: RateLimit | false;
  slowConsumerGraceMs: number;
  logger?: Logger | undefined;
}

/** Counters the manager sums into stats(). */
export interface ConnectionCounters extends OutboxCounters {
  messagesIn: number;
  rateLimited: number;
  slowConsumerCloses: number;
}

/** What a connection needs from its manager. It holds no registry and no adapter of its own. */
export interface ConnectionHost {
  readonly options: ConnectionOptions;
  readonly counters: ConnectionCounters;
  /** The user streams: a connection reads its own user's head and history, nobody else's. */
  readonly adapter: Pick<DeliveryAdapter, 'position' | 'replay'>;
  /** Routes one inbound message; resolves with the frame to answer, if any. */
  dispatch(route: RouteContext, message: InboundMessage): Promise<ControlFrame | undefined>;
  /** Called once, after the welcome frame: from then on a send reaches this connection. */
  welcomed(connection: Connection): void;
  /** Called once, when the socket has closed (whichever way). */
  released(connection: Connection): void;
}

/**
 * One accepted socket of one user, and the state that is its alone: the welcome, resumes (hold,
 * replay, release), its rate limit, heartbeat liveness, its closing and its release. What it keeps
 * for its client lives in its Outbox, under one send budget.
 */
export class Connection {
  /** Cleared by each heartbeat ping, set by each pong. */
  private alive = true;
  /** Set exactly once, when the socket has closed. */
  private released = false;
  /** Settles once the welcome frame was sent; a resume waits for it. */
  private ready: Promise<void> = Promise.resolve();
  /** Set once the welcome frame was sent. */
  private isWelcomed = false;
  /** Terminates a connection that did not take its close frame in time. */
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly outbox: Outbox;
  private readonly limiter: RateLimiter | undefined;

  constructor(
    private readonly route: RouteContext,
    private readonly socket: WebSocket,
    private readonly host: ConnectionHost,
    userBucket?: TokenBucket,
    transport?: Corkable,
  ) {
    const { options, counters } = host;
    this.outbox = new Outbox(socket, options, counters, this.onOverBudget, transport);
    this.limiter = options.rateLimit ? new RateLimiter(options.rateLimit, userBucket) : undefined;
    socket.on('close', this.onClose);
    socket.on('pong', this.onPong);
    socket.on('message', this.onMessage);
  }

  /** Whether the welcome was sent: the manager's `connect` event was emitted for it. */
  get welcomed(): boolean {
    return this.isWelcomed;
  }

  get id(): string {
    return this.route.connectionId;
  }

  get userId(): string {
    return this.route.userId;
  }

  /** Bytes kept for the client (see Outbox). */
  get bufferedBytes(): number {
    return this.outbox.bufferedBytes;
  }

  /**
   * Welcomes the client at the head of its stream once `subscribed` settles, holding live
   * envelopes meanwhile. Every connection waits for the subscription, not only the first one that
   * started it: a head read before the node is subscribed would welcome this connection (or answer
   * its resume) at a seq after which envelopes are published that never reach this node, and the
   * subscription's own head read, later, would then count them as delivered.
   */
  open(subscribed: Promise<void>): void {
    this.outbox.hold();
    this.ready = (async () => {
      await subscribed;
      if (this.released) return;
      const position = await this.host.adapter.position(this.userId);
      if (this.released || this.restartedDuringHold(position)) return;
      this.control({
        type: 'welcome',
        v: PROTOCOL_VERSION,
        userId: this.userId,
        connectionId: this.id,
        ...position,
      });
      this.outbox.release(position);
      this.isWelcomed = true;
      this.host.welcomed(this);
    })().catch((error: unknown) => {
      this.host.options.logger?.error?.('could not open the user stream', {
        userId: this.userId,
        error: String(error),
      });
      this.socket.close(CLOSE_CODES.INTERNAL_ERROR, 'stream unavailable');
    });
  }

  /** A stream envelope of the connection's user. */
  deliver(stored: StoredEnvelope): void {
    this.outbox.deliver(stored);
  }

  control(frame: ControlFrame): void {
    const text = JSON.stringify(frame);
    this.outbox.write(text, Buffer.byteLength(text));
  }

  /**
   * One heartbeat tick: pings a connection that answered the previous ping; false, without a
   * ping, for one that did not.
   */
  ping(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    this.socket.ping();
    return true;
  }

  /**
   * Closes with `code`; with `graceMs`, terminates the socket if the close handshake has not ended
   * by then (a client that does not read may never take the close frame).
   */
  close(code: number, reason: string, graceMs?: number): void {
    this.socket.close(code, reason);
    if (graceMs !== undefined && !this.released)
      this.closeTimer ??= setTimeout(() => this.socket.terminate(), graceMs);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private readonly onPong = (): void => {
    this.alive = true;
  };

  /** Runs once, whichever way the socket closed (client, heartbeat, budget, shutdown). */
  private readonly onClose = (): void => {
    if (this.released) return;
    this.released = true;
    this.outbox.close();
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.host.released(this);
  };

  private readonly onOverBudget = (): void => {
    this.host.counters.slowConsumerCloses++;
    this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer', this.host.options.slowConsumerGraceMs);
  };

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    this.host.counters.messagesIn++;
    // Before decoding: a message over the limit costs a few comparisons and nothing else.
    if (this.limiter !== undefined) {
      const verdict = this.limiter.check();
      if (verdict.kind !== 'admit') return this.overLimit(verdict);
    }
    // Closing (4008, 4010, disconnect, shutdown): an answer could not be sent any more, and a
    // client being closed gets no more work done (a flood still counts toward 4010 above).
    if (this.socket.readyState !== 1) return;
    const decoded = decodeInbound(data, isBinary);
    if (!decoded.ok) return this.control(decoded.error);
    const message = decoded.message;
    if (message.type === RESUME_TYPE) {
      void this.resume(message);
      return;
    }
    if (message.type === PING_TYPE) {
      // Answered here, after the rate limit like any message: a ping flood is a flood.
      this.control(
        message.id === undefined ? { type: PONG_TYPE } : { type: PONG_TYPE, id: message.id },
      );
      return;
    }
    this.host.dispatch(this.route, message).then(
      (frame) => frame && this.control(frame),
      // Only a throwing onHandlerError hook gets here; the client still gets its answer.
      () => this.control(errorFrame('HANDLER_FAILED', undefined, message.id)),
    );
  };

  /** A message (or a resume's replay) over the rate limit: one RATE_LIMITED per window, or 4010. */
  private overLimit(verdict: RateVerdict, resume?: { id?: string; bytes: number }): void {
    this.host.counters.rateLimited++;
    if (verdict.kind === 'abuse') return this.closeAbusive();
    if (verdict.kind !== 'drop' || !verdict.report) return;
    const { dropped, retryAfterMs } = verdict.report;
    const windowMs = this.host.options.rateLimit ? this.host.options.rateLimit.intervalMs : 0;
    const message = resume
      ? `This resume would replay ${resume.bytes} bytes, more than the rate limit allows now; nothing was replayed. Resume again after ${retryAfterMs} ms.`
      : `Too many messages on this connection; ${dropped} dropped. Messages sent in the next ${windowMs} ms may be dropped without another error; retry after ${retryAfterMs} ms.`;
    const frame: ErrorFrame & { dropped: number; retryAfterMs: number } = {
      ...errorFrame('RATE_LIMITED', message, resume?.id),
      dropped,
      retryAfterMs,
    };
    this.control(frame);
  }

  /**
   * A connection that keeps flooding past its rate limit (see RateLimit.abuseFactor). Its reading
   * stops: whatever else it sent is never parsed, and it is terminated if it does not take the
   * close frame within slowConsumerGraceMs.
   */
  private closeAbusive(): void {
    this.close(
      CLOSE_CODES.RATE_LIMIT_ABUSE,
      'rate limit abuse',
      this.host.options.slowConsumerGraceMs,
    );
    if (this.socket.readyState === 2) this.socket.pause();
  }

  /**
   * Replays the user's stream after the client's position: every missed envelope in order, then a
   * `resumed` frame, then live traffic (held meanwhile) — or `recovered: false` and nothing.
   * The stream is the connection's own user's: a resume names no user. A replay is charged to the
   * rate limit by its bytes (RateLimit.resumeBytesPerMessage); one over the limit is answered
   * RATE_LIMITED with the resume's id, and nothing is replayed.
   */
  private async resume(message: InboundMessage): Promise<void> {
    const from = parsePosition(message.payload);
    if (!from) {
      this.control(
        errorFrame(
          'INVALID_PAYLOAD',
          'resume needs { epoch: string, seq: non-negative integer }.',
          message.id,
        ),
      );
      return;
    }
    await this.ready;
    if (this.released) return;
    if (!this.outbox.hold()) {
      this.control(errorFrame('RESUME_IN_PROGRESS', undefined, message.id));
      return;
    }
    try {
      const result = await this.host.adapter.replay(this.userId, from);
      if (this.released) return;
      if (result.recovered) {
        let bytes = 0;
        for (const frame of result.frames) bytes += frame.bytes;
        const verdict = this.chargeReplay(bytes);
        if (verdict.kind !== 'admit') {
          this.overLimit(verdict, message.id === undefined ? { bytes } : { id: message.id, bytes });
          this.outbox.release();
          return;
        }
        await this.outbox.replay(result.frames);
      }
      if (this.restartedDuringHold(result.position)) return;
      this.control({
        type: 'resumed',
        recovered: result.recovered,
        replayed: result.recovered ? result.frames.length : 0,
        ...result.position,
      });
      this.outbox.release(result.position);
    } catch (error) {
      this.host.options.logger?.warn?.('replay failed', {
        userId: this.userId,
        error: String(error),
      });
      this.control(errorFrame('RESUME_FAILED', undefined, message.id));
      this.outbox.release();
    }
  }

  /**
   * Held envelopes of an epoch other than the position about to be sent (the stream started over
   * meanwhile: a Redis restart or rollback) are neither sent nor answered for: the connection is
   * closed with 4009 and the client resumes, to learn `recovered: false` at the newest epoch.
   */
  private restartedDuringHold(position: StreamPosition): boolean {
    if (!this.outbox.holdsOtherEpoch(position.epoch)) return false;
    this.outbox.release(position, true);
    this.close(CLOSE_CODES.RESYNC, 'stream epoch changed: resume');
    return true;
  }

  private chargeReplay(bytes: number): RateVerdict {
    const { rateLimit } = this.host.options;
    if (!rateLimit || this.limiter === undefined) return { kind: 'admit' };
    const per = rateLimit.resumeBytesPerMessage ?? RATE_LIMIT_DEFAULTS.resumeBytesPerMessage;
    const cost = Math.max(1, Math.ceil(bytes / per));
    return cost > 1 ? this.limiter.chargeResume(cost) : { kind: 'admit' };
  }
}

function parsePosition(payload: unknown): StreamPosition | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { epoch, seq } = payload as Record<string, unknown>;
  if (typeof epoch !== 'string' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    return undefined;
  return { epoch, seq };
}
