const { WebSocketManager: UnifiedWebSocketManager, WebSocketManager: Canonical } = require('unified-ws');
const { getWebSocketManager } = require('unified-ws');

module.exports = { UnifiedWebSocketManager, Canonical, getWebSocketManager };
