import { ExecutionEngine, MessageRouter } from 'unified-ws';
import {
  WebSocketManager, // the manager class
} from 'unified-ws/websocket-core/websocket-manager';

export const parts = [ExecutionEngine, MessageRouter, WebSocketManager];
