import { WebSocketManager as UnifiedWebSocketManager } from 'unified-ws';

export const make = () => new UnifiedWebSocketManager({ authenticate: () => null });
