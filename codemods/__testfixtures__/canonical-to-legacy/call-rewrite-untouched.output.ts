import { ExecutionEngine } from 'unified-ws';
import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const channel = getWebSocketManager().forUser('alice');
export { ExecutionEngine };
