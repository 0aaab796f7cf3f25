'use strict';
// unified-ws(UWS004): createWebSocketManager has no safe automatic rewrite (getWebSocketManager().forUser(ctx)); see docs/deprecations.md#uws004
const { createWebSocketManager } = require('unified-ws/websocket-core/websocket-manager-factory');
const { getWebSocketManager } = require('unified-ws');

module.exports = function notify(userId) {
  return getWebSocketManager().forUser(userId);
};
module.exports.legacy = createWebSocketManager;
