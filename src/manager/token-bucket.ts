/** A rate: `messages` per `intervalMs`, which is also the burst. */
export interface BucketLimit {
  messages: number;
  intervalMs: number;
}

/**
 * A token bucket, refilled lazily when it is looked at. A cost is never more than a full bucket,
 * so whatever a message costs, a full bucket can pay for it.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly limit: BucketLimit) {
    this.tokens = limit.messages;
    this.updatedAt = performance.now();
  }

  refill(now: number): void {
    const { messages, intervalMs } = this.limit;
    if (now > this.updatedAt)
      this.tokens = Math.min(
        messages,
        this.tokens + ((now - this.updatedAt) * messages) / intervalMs,
      );
    this.updatedAt = now;
  }

  /** Whether the bucket holds what is left to pay of `cost` once `paid` tokens were taken. */
  holds(cost: number, paid: number): boolean {
    return this.tokens >= this.due(cost, paid);
  }

  take(cost: number, paid: number): void {
    this.tokens -= this.due(cost, paid);
  }

  /** ms until the bucket holds `cost` tokens (capped at a full bucket). */
  waitFor(cost: number): number {
    const { messages, intervalMs } = this.limit;
    const missing = Math.min(cost, messages) - this.tokens;
    return Math.max(1, Math.ceil((missing * intervalMs) / messages));
  }

  private due(cost: number, paid: number): number {
    return Math.max(0, Math.min(cost, this.limit.messages) - paid);
  }
}
