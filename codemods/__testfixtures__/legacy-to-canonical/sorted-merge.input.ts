import {
  AgentRun,
  MessageRouter,
  ToolDispatcher, // the tools
} from 'unified-ws';
import { getWebSocketManager, WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, getWebSocketManager, WebSocketManager];
