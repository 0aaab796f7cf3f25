import { LegacyWebSocketManagerAdapter } from 'unified-ws/websocket-core/protocols';
import { WebSocketManager } from 'unified-ws';

const manager = new WebSocketManager({ authenticate: () => null, register: false });
const adapter = new LegacyWebSocketManagerAdapter(manager);
const fallback = new LegacyWebSocketManagerAdapter();

export const online = (userId: string) => adapter.isUserConnected(userId);
export const total = () => adapter.getConnectionCount() + fallback.getConnectionCount('alice');
