import {
  ExecutionEngine,
  MessageRouter,
} from 'unified-ws';
import { WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const parts = [ExecutionEngine, MessageRouter, WebSocketManager];
