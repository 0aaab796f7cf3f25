import { randomUUID } from 'node:crypto';
import { AgentRun } from '../agents/agent-run';
import { copyUserContext, type UserContext } from '../agents/user-context';
import { UnifiedWsError } from '../errors/unified-ws-error';
import {
  AGENT_EVENTS,
  CONTROL_TYPES,
  type Envelope,
  type OutboundMessage,
} from '../protocol/envelope';

/** What a channel needs from its manager. The channel holds no socket and no map of its own. */
export interface ChannelHost {
  publish(userId: string, message: OutboundMessage): Promise<Envelope>;
  agentRun(userId: string, runId: string, create: () => AgentRun): AgentRun;
  runCompleted(run: AgentRun): void;
  connectionCount(userId: string): number;
}

export interface AgentRunOptions {
  /** Default: the context's runId, else a new UUID. */
  runId?: string;
  /** Agent name reported in agent_started. Default 'agent'. */
  agent?: string;
}

export interface SendOptions {
  runId?: string;
}

const RESERVED: ReadonlySet<string> = new Set([...CONTROL_TYPES, ...AGENT_EVENTS]);

/**
 * The user-scoped sender, and the only way to send: it is bound to one user id at creation and
 * has no method that takes another, so code holding it cannot reach another user.
 */
export class UserChannel {
  /** Captured at creation: mutating the caller's context object later changes nothing here. */
  readonly #context: UserContext;
  #frozen: Readonly<UserContext> | undefined;

  constructor(
    private readonly host: ChannelHost,
    context: UserContext | string,
  ) {
    // A copy, private (#) and never handed out, instead of a frozen one: Object.freeze on every
    // forUser() cost as much as the rest of a send.
    this.#context = copyUserContext(context);
  }

  /** The user this channel sends to; fixed for the channel's life. */
  get userId(): string {
    return this.#context.userId;
  }

  /** A frozen copy of the channel's context. */
  get context(): Readonly<UserContext> {
    this.#frozen ??= Object.freeze({ ...this.#context });
    return this.#frozen;
  }

  /**
   * Appends a message to the user's stream and delivers it to every connection of the user.
   * Agent events are refused here (they go through agentRun(), which checks their order), and so
   * are control frame types.
   */
  send<P>(type: string, payload: P, options: SendOptions = {}): Promise<Envelope<P>> {
    if (RESERVED.has(type)) {
      const how = CONTROL_TYPES.has(type)
        ? 'the manager sends it'
        : 'agent events go through channel.agentRun()';
      throw new UnifiedWsError('UWS_ERR_RESERVED_TYPE', {
        message: `"${type}" is reserved: ${how}.`,
      });
    }
    const message: OutboundMessage =
      options.runId === undefined ? { type, payload } : { type, runId: options.runId, payload };
    return this.host.publish(this.userId, message) as Promise<Envelope<P>>;
  }

  /** The run for this user with this id: the same object for every caller until it is forgotten. */
  agentRun(options: AgentRunOptions = {}): AgentRun {
    const runId = options.runId ?? this.#context.runId ?? randomUUID();
    const host = this.host;
    const userId = this.userId;
    return host.agentRun(
      userId,
      runId,
      () =>
        new AgentRun(userId, runId, options.agent ?? 'agent', {
          publish: (message) => host.publish(userId, message),
          completed: (run) => host.runCompleted(run),
        }),
    );
  }

  isConnected(): boolean {
    return this.host.connectionCount(this.userId) > 0;
  }

  connectionCount(): number {
    return this.host.connectionCount(this.userId);
  }
}
