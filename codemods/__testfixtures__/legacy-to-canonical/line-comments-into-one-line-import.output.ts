import {
  AgentRun,
  getWebSocketManager, // looked up at use time
  MessageRouter,
  ToolDispatcher,
  // the manager class
  WebSocketManager,
  /* who a message is for */
  type UserContext,
} from 'unified-ws';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
