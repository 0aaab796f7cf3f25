import type WebSocket from 'ws';
import { nodeWebSocketFactory, UnifiedWsClient } from '../../src/client/node';
import type { Envelope, StreamPosition } from '../../src/protocol/envelope';
import { CLOSE_CODES } from '../../src/protocol/codes';

/** One thing a watched client went through, in order. */
export type Seen =
  | { kind: 'envelope'; epoch: string; seq: number; content: string; userId: string }
  | { kind: 'position'; epoch: string; seq: number; how: string }
  | { kind: 'told'; how: string };

/**
 * A bundled client whose every step is recorded: the envelopes it emitted, every position it
 * moved to, and every time it was told that it missed envelopes (a close with 4009, a `resumed`
 * with `recovered: false`). `audit` then says whether anything went missing without a word.
 */
export class WatchedClient {
  readonly seen: Seen[] = [];
  readonly client: UnifiedWsClient;
  /** The socket of the current connection, to kill it from the client's side. */
  socket: WebSocket | undefined;

  constructor(
    readonly user: string,
    /** Where each connection attempt goes: one URL, or a pick among nodes (a load balancer). */
    target: () => string,
    random: () => number,
  ) {
    this.client = new UnifiedWsClient({
      url: target(),
      token: `dev:${user}`,
      // Forwards whatever else the factory takes (the token and its options) unchanged.
      createSocket: (...args: Parameters<typeof nodeWebSocketFactory>) => {
        const [, ...rest] = args;
        const socket = nodeWebSocketFactory(target(), ...rest);
        this.socket = socket as unknown as WebSocket;
        return socket;
      },
      reconnect: { initialDelayMs: 5, maxDelayMs: 50, maxRetries: Infinity },
      random,
    });
    this.client.on('envelope', (envelope) => this.onEnvelope(envelope));
    this.client.on('open', () => this.moved('welcome'));
    this.client.on('resumed', (frame) => {
      if (!frame.recovered) this.seen.push({ kind: 'told', how: 'recovered:false' });
      this.moved(`resumed(${frame.recovered})`);
    });
    this.client.on('close', ({ code }) => {
      if (code === CLOSE_CODES.RESYNC) this.seen.push({ kind: 'told', how: '4009' });
    });
  }

  connect(): Promise<unknown> {
    return this.client.connect();
  }

  close(): void {
    this.client.close();
  }

  /** Ends the connection from the client's side without a close frame; the client reconnects. */
  kill(): void {
    this.socket?.terminate();
  }

  get position(): StreamPosition | undefined {
    return this.client.lastPosition;
  }

  envelopes(): Extract<Seen, { kind: 'envelope' }>[] {
    return this.seen.filter((s): s is Extract<Seen, { kind: 'envelope' }> => s.kind === 'envelope');
  }

  told(): number {
    return this.seen.filter((s) => s.kind === 'told').length;
  }

  /** The last steps, for a failure message that says what the client went through. */
  story(count = 40): string {
    return this.seen
      .slice(-count)
      .map((s) =>
        s.kind === 'told'
          ? `TOLD(${s.how})`
          : `${s.kind === 'envelope' ? '' : `${s.how}@`}${s.epoch.slice(0, 4)}#${s.seq}`,
      )
      .join(' ');
  }

  private onEnvelope(envelope: Envelope): void {
    this.seen.push({
      kind: 'envelope',
      epoch: envelope.epoch,
      seq: envelope.seq,
      userId: envelope.userId,
      content: contentOf(envelope),
    });
  }

  private moved(how: string): void {
    const position = this.client.lastPosition;
    if (position) this.seen.push({ kind: 'position', ...position, how });
  }
}

/** What identifies an envelope's content: a re-issued seq carries other content (payload, time). */
export function contentOf(envelope: Pick<Envelope, 'type' | 'ts' | 'payload'>): string {
  return JSON.stringify([envelope.type, envelope.ts, envelope.payload]);
}

/**
 * Everything a client must never go through silently:
 * - an envelope of another user;
 * - within one epoch, a position that does not follow the previous one by exactly one (a hole:
 *   envelopes missed; or a rewind: the same seqs again) without being told in between;
 * - one epoch and seq with two contents, across every client of the user and every send that
 *   resolved (`resolved`): Redis handed a seq out twice.
 */
export function audit(
  clients: readonly WatchedClient[],
  resolved: ReadonlyMap<string, readonly Envelope[]>,
): string[] {
  const problems: string[] = [];
  const contents = new Map<string, { content: string; by: string }>();
  const claim = (user: string, epoch: string, seq: number, content: string, by: string) => {
    const key = `${user} ${epoch} ${seq}`;
    const known = contents.get(key);
    if (!known) contents.set(key, { content, by });
    else if (known.content !== content)
      problems.push(
        `${user}: ${epoch}#${seq} is ${known.content} for ${known.by} but ${content} for ${by}`,
      );
  };
  for (const [user, envelopes] of resolved)
    for (const envelope of envelopes)
      claim(user, envelope.epoch, envelope.seq, contentOf(envelope), 'its sender');
  clients.forEach((watched, index) => {
    const name = `client ${index} (${watched.user})`;
    const lastIn = new Map<string, number>();
    let toldSince = new Set<string>();
    for (const step of watched.seen) {
      if (step.kind === 'told') {
        toldSince = new Set(lastIn.keys());
        continue;
      }
      if (step.kind === 'envelope') {
        if (step.userId !== watched.user)
          problems.push(`${name} got an envelope of ${step.userId}`);
        claim(watched.user, step.epoch, step.seq, step.content, name);
      }
      const previous = lastIn.get(step.epoch);
      if (previous !== undefined && step.seq !== previous + 1 && !toldSince.has(step.epoch)) {
        if (step.kind === 'position' && step.seq === previous) continue; // the same place again
        problems.push(
          `${name}: ${step.seq > previous ? 'hole' : 'rewind'} ${previous}→${step.seq} in ${step.epoch} without being told: ${watched.story()}`,
        );
      }
      lastIn.set(step.epoch, step.seq);
      toldSince.delete(step.epoch);
    }
  });
  return problems;
}

/** Waits until `done` or the deadline; resolves with whether it was done. */
export async function eventually(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
