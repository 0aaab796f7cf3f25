import type { AgentRun } from '../agents/agent-run';
import type { UserContext } from '../agents/user-context';
import { deprecationCounter } from '../deprecation/index';
import { AgentRunError } from '../errors/agent-run-error';
import type { WebSocketManager } from '../manager/websocket-manager';
import { resolveManager } from './resolve-manager';

/** The run a legacy call names: ctx.runId of ctx's user, through the one manager. */
export function legacyRun(
  manager: WebSocketManager | undefined,
  ctx: UserContext,
  agent?: string,
): AgentRun {
  const options = agent === undefined ? {} : { agent };
  return resolveManager(manager)
    .forUser(ctx)
    .agentRun(ctx.runId === undefined ? options : { ...options, runId: ctx.runId });
}

/** tool_completed for the oldest open call of `tool` (legacy callers name tools, not calls). */
export function completeTool(run: AgentRun, tool: string, output?: unknown): Promise<unknown> {
  const callId = run.openCallOf(tool);
  if (callId === undefined)
    throw new AgentRunError('UWS_ERR_UNKNOWN_TOOL_CALL', {
      message: `No open call of tool "${tool}" in run ${run.runId}.`,
    });
  return run.toolCompleted(callId, output);
}

const done = (): undefined => undefined;

/**
 * The notify* methods of UWS006's WebSocketManagerAdapter and UWS007/UWS008's WebSocketNotifier,
 * each a call on the run ctx.runId names — so the canonical order checks apply to them too.
 */
export abstract class AgentNotifier {
  /** Counts a use under the subclass's own code. */
  protected abstract readonly use: () => void;

  constructor(private readonly manager?: WebSocketManager) {}

  notifyAgentStarted(ctx: UserContext, agentName: string): Promise<void> {
    this.use();
    return legacyRun(this.manager, ctx, agentName).start().then(done);
  }

  notifyAgentThinking(ctx: UserContext, text: string): Promise<void> {
    this.use();
    return legacyRun(this.manager, ctx).thinking(text).then(done);
  }

  notifyToolExecuting(ctx: UserContext, tool: string, input?: unknown): Promise<void> {
    this.use();
    return legacyRun(this.manager, ctx).toolExecuting(tool, input).then(done);
  }

  notifyToolCompleted(ctx: UserContext, tool: string, output?: unknown): Promise<void> {
    this.use();
    return completeTool(legacyRun(this.manager, ctx), tool, output).then(done);
  }

  notifyAgentCompleted(ctx: UserContext, result?: unknown): Promise<void> {
    this.use();
    return legacyRun(this.manager, ctx).complete(result).then(done);
  }
}

const useUws006 = deprecationCounter('UWS006');
const useUws007 = deprecationCounter('UWS007');

/** UWS006: the agent registry's adapter. */
export class WebSocketManagerAdapter extends AgentNotifier {
  protected readonly use = useUws006;
}

/** UWS007 (and UWS008, the same class object): the bridge's notifier. */
export class WebSocketNotifier extends AgentNotifier {
  protected readonly use = useUws007;
}
