import { ToolDispatcher as CanonicalToolDispatcher } from '../agents/tool-dispatcher';
import type { UserContext } from '../agents/user-context';
import { deprecationCounter } from '../deprecation/index';
import { ToolCallError } from '../errors/tool-call-error';
import type { WebSocketManager } from '../manager/websocket-manager';
import { legacyRun } from './agent-notifier';

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
  protected abstract readonly use: () => void;
  private readonly manager: WebSocketManager | undefined;

  constructor(options: LegacyDispatcherOptions = {}) {
    this.tools = options.tools ?? new CanonicalToolDispatcher();
    this.manager = options.manager;
  }

  registerTool(name: string, tool: LegacyTool): this {
    this.use();
    this.tools.register(name, (input, context) =>
      tool(input, { userId: context.userId, runId: context.runId }),
    );
    return this;
  }

  protected async call(ctx: UserContext, name: string, input: unknown): Promise<unknown> {
    this.use();
    const result = await this.tools.dispatch(legacyRun(this.manager, ctx), name, input);
    if (result.status === 'error')
      throw new ToolCallError(name, result.error.code, result.error.message);
    return result.output;
  }
}

const useUws017 = deprecationCounter('UWS017');
const useUws018 = deprecationCounter('UWS018');
const useUws019 = deprecationCounter('UWS019');
const useUws020 = deprecationCounter('UWS020');

/** UWS017. */
export class ToolDispatcher extends LegacyDispatcher {
  protected readonly use = useUws017;

  dispatch(ctx: UserContext, name: string, input: unknown): Promise<unknown> {
    return this.call(ctx, name, input);
  }
}

/** UWS018: the same API as UWS017. */
export class UnifiedToolDispatcher extends ToolDispatcher {
  protected override readonly use = useUws018;
}

/** UWS019: a dispatcher bound to one request's context. */
export class RequestScopedToolDispatcher extends LegacyDispatcher {
  protected readonly use = useUws019;

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

/** UWS020. */
export class EnhancedToolDispatcher extends LegacyDispatcher {
  protected readonly use = useUws020;

  dispatchTool(ctx: UserContext, name: string, input: unknown): Promise<unknown> {
    return this.call(ctx, name, input);
  }
}
