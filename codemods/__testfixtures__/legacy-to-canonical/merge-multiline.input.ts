import {
  MessageRouter,
  ToolDispatcher,
} from 'unified-ws';
import type { UserContext } from 'unified-ws/websocket-core/websocket-manager';
import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const parts = [MessageRouter, ToolDispatcher, getWebSocketManager];
export type Ctx = UserContext;
