import type { WebSocketManagerProtocol } from 'unified-ws/websocket-core/protocols';
import type { UserContext } from 'unified-ws/websocket-core/websocket-manager';

export type P = WebSocketManagerProtocol;
export const ctx: UserContext = { userId: 'alice' };
