// unified-ws(UWS005): new LegacyWebSocketManagerAdapter() (line 4) has no safe rewrite to manager.forUser(userId).send(type, payload), manager.isConnected(userId), manager.connectionCount(userId)
import { LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';
// unified-ws(UWS006): WebSocketManagerAdapter has no statically safe rewrite (manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete)
import { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';

export const adapter = new LegacyWebSocketManagerAdapter();
export const notifier = new WebSocketManagerAdapter();
