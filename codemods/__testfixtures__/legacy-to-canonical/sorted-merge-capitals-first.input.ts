import { AgentRun, MessageRouter, ToolDispatcher, getWebSocketManager } from 'unified-ws';
import { WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, getWebSocketManager, WebSocketManager];
