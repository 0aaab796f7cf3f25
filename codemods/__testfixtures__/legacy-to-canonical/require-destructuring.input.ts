const { UnifiedWebSocketManager, UnifiedWebSocketManager: Canonical } = require('unified-ws/websocket-core/unified-manager');
const { getWebSocketManager } = require('unified-ws/websocket-core/websocket-manager');

module.exports = { UnifiedWebSocketManager, Canonical, getWebSocketManager };
