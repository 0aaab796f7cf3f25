const legacy = require('unified-ws');
const path = require.resolve('unified-ws');
require('unified-ws');

export const create = () => new legacy.WebSocketManager({ authenticate: () => null });
export const Manager = require('unified-ws').WebSocketManager;
export { path };
