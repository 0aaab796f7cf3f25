import { AgentRunError } from '../errors/agent-run-error';
import type {
  AgentCompletedPayload,
  AgentStartedPayload,
  AgentThinkingPayload,
  Envelope,
  OutboundMessage,
  ToolCompletedPayload,
  ToolExecutingPayload,
} from '../protocol/envelope';

/** What a run needs from its channel: a way to publish to its one user, and a completion hook. */
export interface AgentRunHost {
  publish(message: OutboundMessage): Promise<Envelope>;
  completed(run: AgentRun): void;
}

export type AgentRunState = 'created' | 'running' | 'completed';

/** The error shape carried by tool_completed and agent_completed. */
export interface EventError {
  code: string;
  message: string;
}

export function toEventError(error: unknown, fallbackCode: string): EventError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : fallbackCode, message: error.message };
  }
  return { code: fallbackCode, message: String(error) };
}

/**
 * The five agent events of one run, in a checked order: agent_started first; agent_thinking and
 * tool_executing/tool_completed pairs (matched by call id) in between; agent_completed last and
 * exactly once. An out-of-order call throws an AgentRunError synchronously and emits nothing.
 */
export class AgentRun {
  private state: AgentRunState = 'created';
  private readonly openCalls = new Map<string, string>();
  private nextCall = 0;

  constructor(
    readonly userId: string,
    readonly runId: string,
    readonly agent: string,
    private readonly host: AgentRunHost,
  ) {}

  get status(): AgentRunState {
    return this.state;
  }

  /** Tool calls executing and not completed yet. */
  get pendingToolCalls(): number {
    return this.openCalls.size;
  }

  /** The oldest open call of a tool, for callers that name tools rather than call ids. */
  openCallOf(tool: string): string | undefined {
    for (const [callId, name] of this.openCalls) if (name === tool) return callId;
    return undefined;
  }

  start(input?: unknown): Promise<Envelope<AgentStartedPayload>> {
    if (this.state !== 'created') {
      throw new AgentRunError(
        this.state === 'completed' ? 'UWS_ERR_RUN_COMPLETED' : 'UWS_ERR_RUN_ALREADY_STARTED',
      );
    }
    this.state = 'running';
    const payload: AgentStartedPayload =
      input === undefined ? { agent: this.agent } : { agent: this.agent, input };
    return this.emit('agent_started', payload);
  }

  thinking(text: string): Promise<Envelope<AgentThinkingPayload>> {
    this.assertRunning();
    return this.emit('agent_thinking', { text });
  }

  /** Announces a tool call; its payload's callId is what toolCompleted/toolFailed take. */
  toolExecuting(
    tool: string,
    input?: unknown,
    callId?: string,
  ): Promise<Envelope<ToolExecutingPayload>> {
    this.assertRunning();
    const id = callId ?? `${this.runId}:${++this.nextCall}`;
    if (this.openCalls.has(id)) throw new AgentRunError('UWS_ERR_DUPLICATE_TOOL_CALL');
    this.openCalls.set(id, tool);
    const payload: ToolExecutingPayload =
      input === undefined ? { callId: id, tool } : { callId: id, tool, input };
    return this.emit('tool_executing', payload);
  }

  toolCompleted(callId: string, output?: unknown): Promise<Envelope<ToolCompletedPayload>> {
    const tool = this.closeCall(callId);
    const payload: ToolCompletedPayload =
      output === undefined
        ? { callId, tool, status: 'ok' }
        : { callId, tool, status: 'ok', output };
    return this.emit('tool_completed', payload);
  }

  toolFailed(callId: string, error: unknown): Promise<Envelope<ToolCompletedPayload>> {
    const tool = this.closeCall(callId);
    return this.emit('tool_completed', {
      callId,
      tool,
      status: 'error',
      error: toEventError(error, 'TOOL_FAILED'),
    });
  }

  /** agent_completed with status ok. Every tool call must have completed. */
  complete(result?: unknown): Promise<Envelope<AgentCompletedPayload>> {
    this.assertRunning();
    if (this.openCalls.size > 0) throw new AgentRunError('UWS_ERR_TOOL_CALLS_PENDING');
    return this.finish(result === undefined ? { status: 'ok' } : { status: 'ok', result });
  }

  /**
   * agent_completed with status error. Works from any state but completed, so a failure is always
   * reported: an unstarted run is started first, open tool calls are completed as failed.
   */
  fail(error: unknown): Promise<Envelope<AgentCompletedPayload>> {
    if (this.state === 'completed') throw new AgentRunError('UWS_ERR_RUN_COMPLETED');
    if (this.state === 'created') void this.start().catch(() => undefined);
    for (const callId of [...this.openCalls.keys()]) {
      void this.toolFailed(callId, {
        code: 'RUN_FAILED',
        message: 'The run failed before the tool completed.',
      }).catch(() => undefined);
    }
    return this.finish({ status: 'error', error: toEventError(error, 'AGENT_FAILED') });
  }

  private finish(payload: AgentCompletedPayload): Promise<Envelope<AgentCompletedPayload>> {
    this.state = 'completed';
    this.host.completed(this);
    return this.emit('agent_completed', payload);
  }

  private closeCall(callId: string): string {
    this.assertRunning();
    const tool = this.openCalls.get(callId);
    if (tool === undefined) throw new AgentRunError('UWS_ERR_UNKNOWN_TOOL_CALL');
    this.openCalls.delete(callId);
    return tool;
  }

  private assertRunning(): void {
    if (this.state === 'running') return;
    throw new AgentRunError(
      this.state === 'completed' ? 'UWS_ERR_RUN_COMPLETED' : 'UWS_ERR_RUN_NOT_STARTED',
    );
  }

  private emit<P>(type: string, payload: P): Promise<Envelope<P>> {
    return this.host.publish({ type, runId: this.runId, payload }) as Promise<Envelope<P>>;
  }
}
