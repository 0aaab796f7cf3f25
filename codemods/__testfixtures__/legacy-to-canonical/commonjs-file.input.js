'use strict';
const { createWebSocketManager } = require('unified-ws/websocket-core/websocket-manager-factory');
const { getWebSocketManager } = require('unified-ws/websocket-core/websocket-manager');

module.exports = function notify(userId) {
  return getWebSocketManager().forUser(userId);
};
module.exports.legacy = createWebSocketManager;
