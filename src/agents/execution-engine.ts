import { randomUUID } from 'node:crypto';
import { AgentRunError } from '../errors/agent-run-error';
import { RegistrationError } from '../errors/registration-error';
import { ToolCallError } from '../errors/tool-call-error';
import type { UserChannel } from '../manager/user-channel';
import { toEventError, type AgentRunState, type EventError } from './agent-run';
import type { ToolDispatcher } from './tool-dispatcher';
import { toUserContext, type UserContext } from './user-context';

/** What an agent gets: its own user, run and scratch state, and no handle on anyone else's. */
export interface AgentContext {
  readonly user: Readonly<UserContext>;
  readonly runId: string;
  readonly input: unknown;
  /** Aborted when the engine closes. */
  readonly signal: AbortSignal;
  /** Scratch state of this run only. */
  readonly state: Map<string, unknown>;
  thinking(text: string): Promise<void>;
  /** Calls a registered tool; throws ToolCallError when it failed (tool_completed was sent). */
  callTool<O = unknown>(name: string, input: unknown): Promise<O>;
}

export type Agent = (context: AgentContext) => unknown;

/** Where the engine gets user channels: a manager, or a function returning one at use time. */
export type ChannelSource =
  { forUser(ctx: UserContext): UserChannel } | (() => { forUser(ctx: UserContext): UserChannel });

export interface ExecutionEngineOptions {
  /** Where runs send their events. Required (pass `getWebSocketManager` to use the default lazily). */
  manager: ChannelSource;
  /** Agents by name. */
  agents?: Record<string, Agent>;
  /** Agent used when a request names none. Default: the only registered agent, if there is one. */
  defaultAgent?: string;
  /** Tools agents may call. Default: none. */
  tools?: ToolDispatcher;
}

export interface ExecuteRequest {
  input: unknown;
  agent?: string;
  /** Default: the context's runId, else a new UUID. */
  runId?: string;
}

export type RunOutcome =
  | { runId: string; status: 'ok'; result: unknown }
  | { runId: string; status: 'error'; error: EventError };

/**
 * Runs agents, each in a context of its own user and run, emitting agent_started …
 * agent_completed. A failing agent still completes its run (status error); execute() resolves
 * with the outcome and rejects only for a caller error (unknown agent, a run id already used).
 */
export class ExecutionEngine {
  private readonly agents = new Map<string, Agent>();
  private readonly running = new Set<AbortController>();

  constructor(private readonly options: ExecutionEngineOptions) {
    for (const [name, agent] of Object.entries(options.agents ?? {})) this.register(name, agent);
  }

  register(name: string, agent: Agent): this {
    if (this.agents.has(name)) {
      throw new RegistrationError('UWS_ERR_DUPLICATE_REGISTRATION', {
        message: `An agent named "${name}" is already registered.`,
      });
    }
    this.agents.set(name, agent);
    return this;
  }

  /** Runs in progress. */
  get activeRuns(): number {
    return this.running.size;
  }

  async execute(ctx: UserContext | string, request: ExecuteRequest): Promise<RunOutcome> {
    const user = toUserContext(ctx);
    const agentName =
      request.agent ??
      this.options.defaultAgent ??
      (this.agents.size === 1 ? [...this.agents.keys()][0] : undefined);
    const agent = agentName === undefined ? undefined : this.agents.get(agentName);
    if (agentName === undefined || !agent) {
      throw new RegistrationError('UWS_ERR_UNKNOWN_AGENT', {
        message: `No agent named "${agentName ?? '(none given)'}" is registered.`,
      });
    }
    const runId = request.runId ?? user.runId ?? randomUUID();
    const source = this.options.manager;
    const channel = (typeof source === 'function' ? source() : source).forUser(user);
    const run = channel.agentRun({ runId, agent: agentName });
    if (run.status !== 'created')
      throw new AgentRunError('UWS_ERR_RUN_ALREADY_STARTED', {
        message: `Run "${runId}" was already executed.`,
      });

    const controller = new AbortController();
    this.running.add(controller);
    const tools = this.options.tools;
    const context: AgentContext = Object.freeze({
      user: Object.freeze({ ...user, runId }),
      runId,
      input: request.input,
      signal: controller.signal,
      state: new Map<string, unknown>(),
      thinking: async (text: string) => {
        await run.thinking(text);
      },
      callTool: async <O>(name: string, input: unknown): Promise<O> => {
        if (!tools) throw new ToolCallError(name, 'UNKNOWN_TOOL', 'this engine has no tools');
        const result = await tools.dispatch<O>(run, name, input, { signal: controller.signal });
        if (result.status === 'error')
          throw new ToolCallError(name, result.error.code, result.error.message);
        return result.output;
      },
    });
    try {
      await run.start(request.input);
      const result = await agent(context);
      await run.complete(result);
      return { runId, status: 'ok', result };
    } catch (error) {
      if ((run.status as AgentRunState) !== 'completed')
        await run.fail(error).catch(() => undefined);
      return { runId, status: 'error', error: toEventError(error, 'AGENT_FAILED') };
    } finally {
      this.running.delete(controller);
    }
  }

  /** Aborts every run in progress (their agents see `signal.aborted`). */
  close(): void {
    for (const controller of this.running) controller.abort();
  }
}
