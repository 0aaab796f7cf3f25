import type { WebSocketManager as WebSocketManagerProtocol, UserContext } from 'unified-ws';

export type P = WebSocketManagerProtocol;
export const ctx: UserContext = { userId: 'alice' };
