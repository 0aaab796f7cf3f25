import { LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';
import { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';

export const adapter = new LegacyWebSocketManagerAdapter();
export const notifier = new WebSocketManagerAdapter();
