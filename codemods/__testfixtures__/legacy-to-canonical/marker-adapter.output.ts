// unified-ws(UWS005): new LegacyWebSocketManagerAdapter() (line 4) has no safe rewrite to manager.forUser(userId).send(type,…; see docs/deprecations.md#uws005
import { LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';
// unified-ws(UWS006): WebSocketManagerAdapter has no statically safe rewrite; see docs/deprecations.md#uws006
import { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';

export const adapter = new LegacyWebSocketManagerAdapter();
export const notifier = new WebSocketManagerAdapter();
