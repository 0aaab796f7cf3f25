import {
  ExecutionEngine,
  MessageRouter,
  WebSocketManager, // the manager class
} from 'unified-ws';

export const parts = [ExecutionEngine, MessageRouter, WebSocketManager];
