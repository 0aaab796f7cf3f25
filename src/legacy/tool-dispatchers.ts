import { ToolDispatcher as CanonicalToolDispatcher } from '../agents/tool-dispatcher';
import type { UserContext } from '../agents/user-context';
import { ToolCallError } from '../errors/tool-call-error';
import type { WebSocketManager } from '../manager/websocket-manager';
import { legacyRun } from './agent-notifier';
import { countUse } from './counted';

/** A legacy tool: input and the caller's context. */
export type LegacyTool = (input: unknown, ctx: Readonly<UserContext>) => unknown;

export interface LegacyDispatcherOptions {
  /** The canonical registry to work on; pass one to share tools with canonical code. */
  tools?: CanonicalToolDispatcher;
  /** Default: the process default manager, looked up at each call. */
  manager?: WebSocketManager;
}

/**
 * The legacy dispatchers over a canonical ToolDispatcher: a call is dispatch(run of ctx.runId),
 * so it emits tool_executing / tool_completed like any canonical call, and resolves with the
 * tool's output (rejecting with ToolCallError after a failed call's tool_completed).
 */
abstract class LegacyDispatcher {
  readonly tools: CanonicalToolDispatcher;
  private readonly manager: WebSocketManager | undefined;

  constructor(options: LegacyDispatcherOptions = {}) {
    this.tools = options.tools ?? new CanonicalToolDispatcher();
    this.manager = options.manager;
  }

  registerTool(name: string, tool: LegacyTool): this {
    countUse(this);
    this.tools.register(name, (input, context) =>
      tool(input, { userId: context.userId, runId: context.runId }),
    );
    return this;
  }

  protected async call(ctx: UserContext, name: string, input: unknown): Promise<unknown> {
    countUse(this);
    const result = await this.tools.dispatch(legacyRun(this.manager, ctx), name, input);
    if (result.status === 'error')
      throw new ToolCallError(name, result.error.code, result.error.message);
    return result.output;
  }
}

/** The first tool dispatcher. */
export class ToolDispatcher extends LegacyDispatcher {
  dispatch(ctx: UserContext, name: string, input: unknown): Promise<unknown> {
    return this.call(ctx, name, input);
  }
}

/** The "unified" tool dispatcher: the same API as ToolDispatcher. */
export class UnifiedToolDispatcher extends ToolDispatcher {}

/** A dispatcher bound to one request's context. */
export class RequestScopedToolDispatcher extends LegacyDispatcher {
  constructor(
    readonly context: UserContext,
    tools?: CanonicalToolDispatcher,
    manager?: WebSocketManager,
  ) {
    super({ ...(tools ? { tools } : {}), ...(manager ? { manager } : {}) });
  }

  executeTool(name: string, input: unknown): Promise<unknown> {
    return this.call(this.context, name, input);
  }
}

/** The "enhanced" tool dispatcher. */
export class EnhancedToolDispatcher extends LegacyDispatcher {
  dispatchTool(ctx: UserContext, name: string, input: unknown): Promise<unknown> {
    return this.call(ctx, name, input);
  }
}
