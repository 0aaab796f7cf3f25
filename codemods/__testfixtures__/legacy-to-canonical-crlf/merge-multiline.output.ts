import {
  ExecutionEngine,
  MessageRouter,
  WebSocketManager,
} from 'unified-ws';

export const parts = [ExecutionEngine, MessageRouter, WebSocketManager];
