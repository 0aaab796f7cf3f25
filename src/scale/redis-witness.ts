import type { Witness } from './redis-scripts';

interface Entry extends Witness {
  at: number;
}

/**
 * The highest seq this node has seen Redis hand out per user and epoch: from its own publishes,
 * from pub/sub, from head reads and replays. Every script is given it, so that Redis coming back
 * with less than this node saw (a restored snapshot, a lagging replica) ends the epoch instead of
 * handing the same seqs out again for other envelopes.
 *
 * An entry is kept for `ttlMs` after its last update: a user's keys expire in Redis after as long
 * without a publish, and a stream that started over under a new epoch has nothing to compare with.
 */
export class WitnessLog {
  private readonly entries = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ttlMs: number) {
    this.timer = setInterval(() => this.sweep(Date.now()), Math.min(ttlMs, 60_000));
    this.timer.unref();
  }

  get(userId: string): Witness | undefined {
    return this.entries.get(userId);
  }

  /** Records a position Redis returned; a newer epoch replaces the older one. */
  note(userId: string, position: Witness): void {
    const entry = this.entries.get(userId);
    if (entry && entry.epoch === position.epoch) {
      if (position.seq > entry.seq) entry.seq = position.seq;
      entry.at = Date.now();
      return;
    }
    this.entries.set(userId, { epoch: position.epoch, seq: position.seq, at: Date.now() });
  }

  get size(): number {
    return this.entries.size;
  }

  sweep(now: number): void {
    for (const [userId, entry] of this.entries)
      if (entry.at < now - this.ttlMs) this.entries.delete(userId);
  }

  close(): void {
    clearInterval(this.timer);
    this.entries.clear();
  }
}
