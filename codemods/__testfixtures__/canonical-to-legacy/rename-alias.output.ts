import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';

export const make = () => new UnifiedWebSocketManager({ authenticate: () => null });
