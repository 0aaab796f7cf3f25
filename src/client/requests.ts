import { ClientError } from '../errors/client-error';
import type { AckFrame } from '../protocol/envelope';

interface Entry {
  id: string;
  text: string;
  resolve(frame: AckFrame): void;
  reject(error: ClientError): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The client's requests: those sent and waiting for their `ack` or `error`, and those waiting in
 * the offline queue for a connection (at most `queueSize`; 0 turns the queue off). Each one has
 * its own timeout, running from the call, queued or not, and every way out clears it.
 */
export class Requests {
  private readonly sent = new Map<string, Entry>();
  private readonly queued = new Map<string, Entry>();

  constructor(private readonly queueSize: number) {}

  get queueEnabled(): boolean {
    return this.queueSize > 0;
  }

  /** Whether requests wait in the queue: a new one must go behind them, to keep the order. */
  get hasQueued(): boolean {
    return this.queued.size > 0;
  }

  /** Sends `text` with `send` now; settles on its answer, its timeout, or a drop. */
  send(
    id: string,
    text: string,
    timeoutMs: number,
    send: (text: string) => void,
  ): Promise<AckFrame> {
    return this.track(this.sent, id, text, timeoutMs, () => send(text));
  }

  /** Keeps `text` until flush(); over the bound it rejects with UWS_ERR_CLIENT_QUEUE_FULL. */
  enqueue(id: string, text: string, timeoutMs: number): Promise<AckFrame> {
    if (this.queued.size >= this.queueSize)
      return Promise.reject(
        new ClientError('UWS_ERR_CLIENT_QUEUE_FULL', {
          message: `The offline queue already holds ${this.queueSize} requests (offlineQueue.maxSize); this one was not queued.`,
        }),
      );
    return this.track(this.queued, id, text, timeoutMs);
  }

  /** Sends every queued request, oldest first; they then wait for their answers. */
  flush(send: (text: string) => void): void {
    for (const entry of [...this.queued.values()]) {
      this.queued.delete(entry.id);
      this.sent.set(entry.id, entry);
      send(entry.text);
    }
  }

  /** An `ack` (error undefined) or `error` frame with this id; false when no sent request has it. */
  settle(id: string, frame: AckFrame | undefined, error?: ClientError): boolean {
    const entry = this.sent.get(id);
    if (entry === undefined) return false;
    this.finish(this.sent, entry);
    if (error !== undefined) entry.reject(error);
    else entry.resolve(frame as AckFrame);
    return true;
  }

  /** The connection dropped: sent requests will not be answered (they are not sent again). */
  rejectSent(error: ClientError): void {
    for (const entry of [...this.sent.values()]) {
      this.finish(this.sent, entry);
      entry.reject(error);
    }
  }

  /** The client stopped: every request, sent or queued. */
  rejectAll(error: ClientError): void {
    this.rejectSent(error);
    for (const entry of [...this.queued.values()]) {
      this.finish(this.queued, entry);
      entry.reject(error);
    }
  }

  private track(
    into: Map<string, Entry>,
    id: string,
    text: string,
    timeoutMs: number,
    start?: () => void,
  ): Promise<AckFrame> {
    return new Promise((resolve, reject) => {
      const entry: Entry = { id, text, resolve, reject, timer: undefined };
      if (Number.isFinite(timeoutMs))
        entry.timer = setTimeout(() => {
          // Wherever it waits now (the queue, or the answer).
          const from = this.sent.get(id) === entry ? this.sent : this.queued;
          this.finish(from, entry);
          reject(
            new ClientError('UWS_ERR_CLIENT_REQUEST_TIMEOUT', {
              message: `No answer to request ${id} within ${timeoutMs} ms.`,
            }),
          );
        }, timeoutMs);
      into.set(id, entry);
      try {
        start?.();
      } catch (error) {
        this.finish(into, entry);
        reject(new ClientError('UWS_ERR_CLIENT_NOT_CONNECTED', { cause: error }));
      }
    });
  }

  private finish(from: Map<string, Entry>, entry: Entry): void {
    from.delete(entry.id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
