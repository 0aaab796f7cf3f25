import { AgentRun, MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager } from 'unified-ws';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, getWebSocketManager, WebSocketManager];
