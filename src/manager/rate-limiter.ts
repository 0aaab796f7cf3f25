export interface RateLimit {
  /** Messages allowed per interval (also the burst size). */
  messages: number;
  /** The interval, in ms. */
  intervalMs: number;
}

/** A token bucket per connection: cheap (two numbers), refilled lazily on each take. */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.messages;
    this.updatedAt = performance.now();
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(
      this.limit.messages,
      this.tokens + ((now - this.updatedAt) * this.limit.messages) / this.limit.intervalMs,
    );
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
