import { RegistrationError } from '../errors/registration-error';
import type { AgentRun, EventError } from './agent-run';
import { toEventError } from './agent-run';

export interface ToolContext {
  readonly userId: string;
  readonly runId: string;
  readonly callId: string;
  /** Aborted when the run's engine shuts down. */
  readonly signal: AbortSignal;
}

export type Tool<I = unknown, O = unknown> = (input: I, context: ToolContext) => O | Promise<O>;

export type ToolResult<O = unknown> =
  | { status: 'ok'; callId: string; output: O }
  | { status: 'error'; callId: string; error: EventError };

export interface DispatchOptions {
  signal?: AbortSignal;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * The one tool registry. dispatch() brackets each call with tool_executing / tool_completed on the
 * given run, so a tool can neither skip its events nor emit them for another user's run.
 */
export class ToolDispatcher {
  private readonly tools = new Map<string, Tool<never, unknown>>();

  register<I, O>(name: string, tool: Tool<I, O>): this {
    if (this.tools.has(name)) {
      throw new RegistrationError('UWS_ERR_DUPLICATE_REGISTRATION', {
        message: `A tool named "${name}" is already registered.`,
      });
    }
    this.tools.set(name, tool as Tool<never, unknown>);
    return this;
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  get names(): string[] {
    return [...this.tools.keys()];
  }

  /**
   * Runs a tool inside a run. A throwing tool, or an unknown name (code UNKNOWN_TOOL), yields
   * tool_completed with status error and an error result; this method itself only rejects when
   * the run refuses the events (for example after agent_completed).
   */
  async dispatch<O = unknown>(
    run: AgentRun,
    name: string,
    input: unknown,
    options: DispatchOptions = {},
  ): Promise<ToolResult<O>> {
    const executing = await run.toolExecuting(name, input);
    const callId = executing.payload.callId;
    const tool = this.tools.get(name);
    let output: unknown;
    try {
      if (!tool)
        throw Object.assign(new Error(`No tool named "${name}" is registered.`), {
          code: 'UNKNOWN_TOOL',
        });
      output = await tool(input as never, {
        userId: run.userId,
        runId: run.runId,
        callId,
        signal: options.signal ?? NEVER_ABORTED,
      });
    } catch (error) {
      await run.toolFailed(callId, error);
      return { status: 'error', callId, error: toEventError(error, 'TOOL_FAILED') };
    }
    await run.toolCompleted(callId, output);
    return { status: 'ok', callId, output: output as O };
  }
}
