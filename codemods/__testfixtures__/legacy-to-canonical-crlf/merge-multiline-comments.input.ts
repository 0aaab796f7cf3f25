import {
  ExecutionEngine,
  MessageRouter, // routes inbound frames
  ToolDispatcher,
} from 'unified-ws';
import {
  // the manager class
  WebSocketManager,
  getWebSocketManager, // looked up at use time
} from 'unified-ws/websocket-core/websocket-manager';

export const parts = [ExecutionEngine, MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
