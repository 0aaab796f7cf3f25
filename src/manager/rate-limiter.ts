export interface RateLimit {
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
}

export const RATE_LIMIT_ABUSE_DEFAULTS = { abuseFactor: 10, abuseWindows: 10 } as const;

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
 * A token bucket per connection: cheap (a few numbers), refilled lazily on each take.
 *
 * Drops are grouped in windows of `intervalMs` opened by the first drop after the previous window
 * ended, so a flooder costs one RATE_LIMITED frame per window, not one per message.
 */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
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

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.messages;
    this.updatedAt = performance.now();
    this.abuseFactor = limit.abuseFactor ?? RATE_LIMIT_ABUSE_DEFAULTS.abuseFactor;
    this.abuseWindows = limit.abuseWindows ?? RATE_LIMIT_ABUSE_DEFAULTS.abuseWindows;
  }

  take(): boolean {
    return this.check().kind === 'admit';
  }

  check(): RateVerdict {
    if (this.abusive) return DROP;
    const now = performance.now();
    const { messages, intervalMs } = this.limit;
    this.tokens = Math.min(
      messages,
      this.tokens + ((now - this.updatedAt) * messages) / intervalMs,
    );
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return ADMIT;
    }
    this.unreported++;
    let opened = false;
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
    if (!opened) return DROP;
    const dropped = this.unreported;
    this.unreported = 0;
    // Time until the bucket holds one token again.
    const retryAfterMs = Math.max(1, Math.ceil(((1 - this.tokens) * intervalMs) / messages));
    return { kind: 'drop', report: { dropped, retryAfterMs } };
  }
}
