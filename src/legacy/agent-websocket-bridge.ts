import type { UserContext } from '../agents/user-context';
import type { Envelope } from '../protocol/envelope';
import type { WebSocketManager } from '../manager/websocket-manager';
import { completeTool, legacyRun } from './agent-notifier';
import { countLike, countUse } from './counted';
import { resolveManager } from './resolve-manager';

type Fields = Record<string, unknown>;

/**
 * emitAgentEvent(ctx, type, payload) becomes the matching AgentRun call on ctx.runId,
 * so the event order is checked; any other type is channel.send(type, payload).
 */
export class AgentWebSocketBridge {
  constructor(private readonly manager?: WebSocketManager) {}

  emitAgentEvent(ctx: UserContext, type: string, payload: Fields = {}): Promise<Envelope> {
    countUse(this);
    const run = () =>
      legacyRun(this.manager, ctx, typeof payload.agent === 'string' ? payload.agent : undefined);
    switch (type) {
      case 'agent_started':
        return run().start(payload.input);
      case 'agent_thinking':
        return run().thinking(String(payload.text ?? ''));
      case 'tool_executing':
        return run().toolExecuting(
          String(payload.tool),
          payload.input,
          typeof payload.callId === 'string' ? payload.callId : undefined,
        );
      case 'tool_completed': {
        const current = run();
        if (payload.status === 'error' || payload.error !== undefined) {
          const callId =
            typeof payload.callId === 'string'
              ? payload.callId
              : current.openCallOf(String(payload.tool));
          return current.toolFailed(callId ?? '', payload.error);
        }
        if (typeof payload.callId === 'string')
          return current.toolCompleted(payload.callId, payload.output);
        return completeTool(current, String(payload.tool), payload.output) as Promise<Envelope>;
      }
      case 'agent_completed':
        return payload.status === 'error' || payload.error !== undefined
          ? run().fail(payload.error)
          : run().complete(payload.result);
      default:
        return resolveManager(this.manager).forUser(ctx).send(type, payload);
    }
  }
}

/**
 * A bridge over the one manager, never a new manager. The bridge counts its uses under the code
 * of the entry point the factory was reached through.
 */
export class WebSocketBridgeFactory {
  static createBridge(this: object | undefined, manager?: WebSocketManager): AgentWebSocketBridge {
    return countLike(new AgentWebSocketBridge(manager), this);
  }
}
