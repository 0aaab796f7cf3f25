import {
  AgentRun,
  getWebSocketManager,
  MessageRouter,
  ToolDispatcher, // the tools
  WebSocketManager,
} from 'unified-ws';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, getWebSocketManager, WebSocketManager];
