import {
  ExecutionEngine,
  type Agent,
  type ExecuteRequest,
  type RunOutcome,
} from '../agents/execution-engine';
import type { ToolDispatcher } from '../agents/tool-dispatcher';
import { toUserContext, type UserContext } from '../agents/user-context';
import { getWebSocketManager, type WebSocketManager } from '../manager/websocket-manager';

export interface EngineFactoryOptions {
  /** Run through this engine (recommended: one per process). */
  engine?: ExecutionEngine;
  /** Without `engine`: the agents of an engine made for this call (it holds no sockets or timers). */
  agents?: Record<string, Agent>;
  tools?: ToolDispatcher;
  defaultAgent?: string;
  /** Default: the process default manager, looked up at each run. */
  manager?: WebSocketManager;
}

/** What createForUser returns: the canonical engine bound to one user. */
export interface UserExecutionEngine {
  readonly context: Readonly<UserContext>;
  execute(request: ExecuteRequest): Promise<RunOutcome>;
}

function forUser(ctx: UserContext | string, options: EngineFactoryOptions): UserExecutionEngine {
  const context = toUserContext(ctx);
  const engine =
    options.engine ??
    new ExecutionEngine({
      manager: options.manager ?? getWebSocketManager,
      ...(options.agents ? { agents: options.agents } : {}),
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.defaultAgent ? { defaultAgent: options.defaultAgent } : {}),
    });
  return { context, execute: (request) => engine.execute(context, request) };
}

/** The supervisor's factory (and its compatibility copy: one implementation). */
export class ExecutionEngineFactory {
  static createForUser(
    ctx: UserContext | string,
    options: EngineFactoryOptions = {},
  ): UserExecutionEngine {
    return forUser(ctx, options);
  }
}

/** The migration-era factory: the same API as ExecutionEngineFactory. */
export class UnifiedExecutionEngineFactory {
  static createForUser(
    ctx: UserContext | string,
    options: EngineFactoryOptions = {},
  ): UserExecutionEngine {
    return forUser(ctx, options);
  }
}
