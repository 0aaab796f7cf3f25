import { TokenBucket, type BucketLimit } from './token-bucket';

export type { BucketLimit } from './token-bucket';

export interface RateLimit extends BucketLimit {
  /** Messages allowed per interval (also the burst size). */
  messages: number;
  /** The interval, in ms. Also the rate-limit window: at most one RATE_LIMITED frame per window. */
  intervalMs: number;
  /**
   * Close the connection (4010) once it sent more than `abuseFactor × messages` messages over the
   * limit within one window. Default 10. `Infinity` disables this check.
   */
  abuseFactor?: number;
  /**
   * Close the connection (4010) in the `abuseWindows`-th consecutive window with messages over the
   * limit (a window follows the previous one when it opens within one interval of its end).
   * Default 10. `Infinity` disables this check.
   */
  abuseWindows?: number;
  /**
   * A resume costs one message per this many bytes it replays (at least one, at most a full
   * bucket), so that repeated resumes, each worth thousands of times its own size, are limited
   * like any other flood. Default 16384 (a replay of 1 MiB costs 64 messages). `Infinity`: a
   * resume costs one message, whatever it replays.
   */
  resumeBytesPerMessage?: number;
  /**
   * A second bucket per user, shared by all of the user's connections on this node, so that a
   * user cannot multiply the rate by opening more connections: a message must fit both. It lives
   * while the user has a connection on this node. Default: off.
   */
  perUser?: BucketLimit | false;
}

export const RATE_LIMIT_ABUSE_DEFAULTS = { abuseFactor: 10, abuseWindows: 10 } as const;

export const RATE_LIMIT_DEFAULTS = {
  ...RATE_LIMIT_ABUSE_DEFAULTS,
  resumeBytesPerMessage: 16 * 1024,
} as const;

/**
 * What to do with one inbound message: `admit` it; `drop` it, answering RATE_LIMITED only when
 * `report` is set (the first drop of a window); or `abuse`: close the connection. After `abuse`
 * every message is `drop`ped without a report.
 */
export type RateVerdict =
  | { kind: 'admit' }
  | { kind: 'drop'; report?: { dropped: number; retryAfterMs: number } }
  | { kind: 'abuse' };

const ADMIT: RateVerdict = { kind: 'admit' };
const DROP: RateVerdict = { kind: 'drop' };

/**
 * The rate limit of one connection: its own token bucket, and its user's when `perUser` is set.
 * Cheap (a few numbers), refilled lazily on each check.
 *
 * Drops are grouped in windows of `intervalMs` opened by the first drop after the previous window
 * ended, so a flooder costs one RATE_LIMITED frame per window, not one per message. The windows
 * and the abuse checks are the connection's own, whichever bucket ran dry.
 */
export class RateLimiter {
  private readonly own: TokenBucket;
  private readonly abuseFactor: number;
  private readonly abuseWindows: number;
  /** End of the current window; undefined before the first drop. */
  private windowEnd: number | undefined;
  private windowDropped = 0;
  /** Consecutive windows with drops, the current one included. */
  private streak = 0;
  /** Drops since the last RATE_LIMITED frame, reported (and reset) by the next one. */
  private unreported = 0;
  private abusive = false;

  constructor(
    private readonly limit: RateLimit,
    private readonly user?: TokenBucket,
  ) {
    this.own = new TokenBucket(limit);
    this.abuseFactor = limit.abuseFactor ?? RATE_LIMIT_DEFAULTS.abuseFactor;
    this.abuseWindows = limit.abuseWindows ?? RATE_LIMIT_DEFAULTS.abuseWindows;
  }

  take(): boolean {
    return this.check().kind === 'admit';
  }

  /** One inbound message, before it is read. */
  check(): RateVerdict {
    return this.charge(1, 0, false);
  }

  /**
   * The rest of a resume's cost, `cost` messages in all of which its own message already paid one.
   * Over the limit it is always reported (the client waits for an answer to its resume), with the
   * time until the whole cost fits.
   */
  chargeResume(cost: number): RateVerdict {
    return this.charge(cost, 1, true);
  }

  private charge(cost: number, paid: number, alwaysReport: boolean): RateVerdict {
    if (this.abusive) return DROP;
    const now = performance.now();
    const { own, user } = this;
    own.refill(now);
    user?.refill(now);
    if (own.holds(cost, paid) && (user === undefined || user.holds(cost, paid))) {
      own.take(cost, paid);
      user?.take(cost, paid);
      return ADMIT;
    }
    this.unreported++;
    let opened = false;
    const { intervalMs, messages } = this.limit;
    if (this.windowEnd === undefined || now >= this.windowEnd) {
      const consecutive = this.windowEnd !== undefined && now < this.windowEnd + intervalMs;
      this.streak = consecutive ? this.streak + 1 : 1;
      this.windowEnd = now + intervalMs;
      this.windowDropped = 0;
      opened = true;
    }
    this.windowDropped++;
    if (this.windowDropped > this.abuseFactor * messages || this.streak >= this.abuseWindows) {
      this.abusive = true;
      return { kind: 'abuse' };
    }
    if (!opened && !alwaysReport) return DROP;
    const dropped = this.unreported;
    this.unreported = 0;
    const retryAfterMs = Math.max(own.waitFor(cost), user?.waitFor(cost) ?? 0);
    return { kind: 'drop', report: { dropped, retryAfterMs } };
  }
}
