import * as core from 'unified-ws';

export const Manager = core.WebSocketManager;
export type Manager = core.WebSocketManager;
