import { AgentRun, MessageRouter, ToolDispatcher } from 'unified-ws';
import {
  // the manager class
  WebSocketManager,
  getWebSocketManager, // looked up at use time
  /* who a message is for */ type UserContext,
} from 'unified-ws/websocket-core/websocket-manager';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
