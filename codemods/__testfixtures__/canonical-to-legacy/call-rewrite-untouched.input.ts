import { getWebSocketManager, ExecutionEngine } from 'unified-ws';

export const channel = getWebSocketManager().forUser('alice');
export { ExecutionEngine };
