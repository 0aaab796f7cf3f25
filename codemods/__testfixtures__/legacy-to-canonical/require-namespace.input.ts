const legacy = require('unified-ws/websocket-core/unified-manager');
const path = require.resolve('unified-ws/websocket-core/websocket-manager');
require('unified-ws/websocket-core/websocket-manager');

export const create = () => new legacy.UnifiedWebSocketManager({ authenticate: () => null });
export const Manager = require('unified-ws/websocket-core/unified-manager').UnifiedWebSocketManager;
export { path };
