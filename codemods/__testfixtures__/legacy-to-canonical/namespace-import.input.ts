import * as core from 'unified-ws/websocket-core/unified-manager';

export const Manager = core.UnifiedWebSocketManager;
export type Manager = core.UnifiedWebSocketManager;
