import {
  ExecutionEngine,
  getWebSocketManager, // looked up at use time
  MessageRouter, // routes inbound frames
  ToolDispatcher,
  // the manager class
  WebSocketManager,
} from 'unified-ws';

export const parts = [ExecutionEngine, MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
