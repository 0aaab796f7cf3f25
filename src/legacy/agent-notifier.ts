import type { AgentRun } from '../agents/agent-run';
import type { UserContext } from '../agents/user-context';
import { AgentRunError } from '../errors/agent-run-error';
import type { WebSocketManager } from '../manager/websocket-manager';
import { countUse } from './counted';
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
 * The notify* methods of the agent registry's WebSocketManagerAdapter and the bridge's
 * WebSocketNotifier, each a call on the run ctx.runId names — so the canonical order checks apply
 * to them too. Each use counts under the code of the entry point the object came through.
 */
export abstract class AgentNotifier {
  constructor(private readonly manager?: WebSocketManager) {}

  notifyAgentStarted(ctx: UserContext, agentName: string): Promise<void> {
    countUse(this);
    return legacyRun(this.manager, ctx, agentName).start().then(done);
  }

  notifyAgentThinking(ctx: UserContext, text: string): Promise<void> {
    countUse(this);
    return legacyRun(this.manager, ctx).thinking(text).then(done);
  }

  notifyToolExecuting(ctx: UserContext, tool: string, input?: unknown): Promise<void> {
    countUse(this);
    return legacyRun(this.manager, ctx).toolExecuting(tool, input).then(done);
  }

  notifyToolCompleted(ctx: UserContext, tool: string, output?: unknown): Promise<void> {
    countUse(this);
    return completeTool(legacyRun(this.manager, ctx), tool, output).then(done);
  }

  notifyAgentCompleted(ctx: UserContext, result?: unknown): Promise<void> {
    countUse(this);
    return legacyRun(this.manager, ctx).complete(result).then(done);
  }
}

/** The agent registry's adapter. */
export class WebSocketManagerAdapter extends AgentNotifier {}

/** The bridge's notifier (and the rollback script's duplicate: one implementation). */
export class WebSocketNotifier extends AgentNotifier {}
