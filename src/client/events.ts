import type { ClientError } from '../errors/client-error';
import type {
  AgentEventPayloads,
  Envelope,
  ResumedFrame,
  WelcomeFrame,
} from '../protocol/envelope';

/** The `close` event: a connection that had its welcome ended. */
export interface CloseEvent {
  code: number;
  reason: string;
  /** Whether the client will reconnect (and resume) on its own. */
  willReconnect: boolean;
}

/** The `reconnect_attempt` event: attempt `attempt` (1, 2, …) opens in `delayMs`. */
export interface ReconnectAttemptEvent {
  attempt: number;
  delayMs: number;
}

/** The client's own events, and their listener arguments. */
export interface LifecycleEvents {
  /** A welcome: the connection is usable (`connected` is true). Also after each reconnect. */
  open: [welcome: WelcomeFrame];
  /** The answer to a resume (after a reconnect, or a gap), once its replay was delivered. */
  resumed: [frame: ResumedFrame];
  /**
   * An envelope arrived with seq past `after + 1`, at a type that back-pressure never coalesces:
   * envelopes were lost on the way. The client resumes from `after` on the same connection (the
   * replay fills the gap, or `resumed` says `recovered: false`). A healthy server never causes one.
   */
  gap: [gap: { epoch: string; after: number; seq: number }];
  /**
   * An error frame that answered no pending request, or a failure that ends the client's attempts
   * (a refusal: 4401/4403/4404 or HTTP 401/403/404; or reconnect.maxRetries exhausted).
   */
  error: [error: ClientError];
  /** A connection that had its welcome ended (not emitted for attempts that never got one). */
  close: [event: CloseEvent];
  /** A connection attempt ended before its welcome; the error has the close code and reason. */
  connect_error: [error: ClientError];
  /** A reconnect was scheduled. */
  reconnect_attempt: [event: ReconnectAttemptEvent];
  /** reconnect.maxRetries attempts in a row failed: the client stopped (the error's cause is the last). */
  reconnect_failed: [error: ClientError];
  /** Every stream envelope, once, in seq order. */
  envelope: [envelope: Envelope];
}

export type LifecycleEventName = keyof LifecycleEvents;

const LIFECYCLE: Record<LifecycleEventName, true> = {
  open: true,
  resumed: true,
  gap: true,
  error: true,
  close: true,
  connect_error: true,
  reconnect_attempt: true,
  reconnect_failed: true,
  envelope: true,
};

/**
 * The client's own event names. An envelope whose type is one of them is delivered through
 * `envelope` only, never as that event.
 */
export const LIFECYCLE_EVENTS: ReadonlySet<string> = new Set(Object.keys(LIFECYCLE));

/** The listener arguments of envelope types: `(payload, envelope)`. */
export type EnvelopeEvents<Payloads> = {
  [K in keyof Payloads & string]: [payload: Payloads[K], envelope: Envelope<Payloads[K]>];
};

/**
 * What an application may declare as its own envelope types (`{ notice: { text: string } }`): any
 * name but the client's events and the five agent events, which are typed already.
 */
export type AppEvents<App> = {
  [K in keyof App]: K extends LifecycleEventName | keyof AgentEventPayloads ? never : unknown;
};

/** Every event of a client whose application declared the envelope types `App`. */
export type ClientEvents<App = {}> = LifecycleEvents &
  EnvelopeEvents<AgentEventPayloads> &
  EnvelopeEvents<App>;

/** The arguments of one event's listeners. */
export type EventArgs<Events, E extends keyof Events> = Events[E] extends unknown[]
  ? Events[E]
  : never;

type Listener = (...args: unknown[]) => void;

/**
 * Listeners by event name. A listener that throws does not stop the others nor the client's own
 * work (the client emits in the middle of handling a frame); its error is reported the way a
 * browser reports an exception in an event listener: asynchronously, as an uncaught error.
 */
export class Emitter<Events> {
  private readonly listeners = new Map<PropertyKey, { listener: Listener; once: boolean }[]>();

  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof Events & string>(
    event: E,
    listener: (...args: EventArgs<Events, E>) => void,
  ): () => void {
    this.add(event, listener as unknown as Listener, false);
    return () => this.off(event, listener);
  }

  /** Adds a listener for the next emission only; returns the function that removes it. */
  once<E extends keyof Events & string>(
    event: E,
    listener: (...args: EventArgs<Events, E>) => void,
  ): () => void {
    this.add(event, listener as unknown as Listener, true);
    return () => this.off(event, listener);
  }

  /** Removes `listener` (every registration of it), or every listener of `event`. */
  off<E extends keyof Events & string>(
    event: E,
    listener?: (...args: EventArgs<Events, E>) => void,
  ): void {
    if (listener === undefined) {
      this.listeners.delete(event);
      return;
    }
    const entries = this.listeners
      .get(event)
      ?.filter((entry) => entry.listener !== (listener as unknown as Listener));
    if (entries === undefined || entries.length === 0) this.listeners.delete(event);
    else this.listeners.set(event, entries);
  }

  /** How many listeners `event` has, or all events together. */
  listenerCount(event?: keyof Events & string): number {
    if (event !== undefined) return this.listeners.get(event)?.length ?? 0;
    let count = 0;
    for (const entries of this.listeners.values()) count += entries.length;
    return count;
  }

  protected emit(event: string, ...args: unknown[]): void {
    const entries = this.listeners.get(event);
    if (entries === undefined) return;
    // `once` listeners leave before any listener runs: an emission from inside a listener
    // cannot call them a second time.
    if (entries.some((entry) => entry.once)) {
      const rest = entries.filter((entry) => !entry.once);
      if (rest.length === 0) this.listeners.delete(event);
      else this.listeners.set(event, rest);
    }
    for (const entry of entries) {
      // One removed by an earlier listener of this emission is not called any more.
      if (!entry.once && this.listeners.get(event)?.includes(entry) !== true) continue;
      this.call(entry.listener, args);
    }
  }

  private add(event: PropertyKey, listener: Listener, once: boolean): void {
    const entries = this.listeners.get(event) ?? [];
    this.listeners.set(event, [...entries, { listener, once }]);
  }

  private call(listener: Listener, args: unknown[]): void {
    try {
      listener(...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
