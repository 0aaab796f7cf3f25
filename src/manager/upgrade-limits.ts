import type { Duplex } from 'node:stream';

/** Why an upgrade was not admitted: the node is full (HTTP 503) or its address is (HTTP 429). */
export type AdmissionRefusal = 'overCapacity' | 'tooManyFromAddress';

/**
 * Counts WebSocket connections (upgrading and open) in all and per remote address. A connection
 * is counted from its admission until its socket closes, so every path out (refusal, failed
 * handshake, client gone, close) releases it exactly once.
 */
export class UpgradeLimits {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerAddress: number,
  ) {}

  /** Admits the socket (and counts it until it closes), or says why not. */
  admit(socket: Duplex, remoteAddress: string | undefined): AdmissionRefusal | undefined {
    if (this.total >= this.maxTotal) return 'overCapacity';
    const address = normalizeAddress(remoteAddress);
    const count = this.perAddress.get(address) ?? 0;
    if (count >= this.maxPerAddress) return 'tooManyFromAddress';
    this.total++;
    this.perAddress.set(address, count + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    };
    if (socket.destroyed) release();
    else socket.once('close', release);
    return undefined;
  }

  /** Admitted connections still counted. */
  get count(): number {
    return this.total;
  }
}

/** '::ffff:127.0.0.1' and '127.0.0.1' are one client. */
function normalizeAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
