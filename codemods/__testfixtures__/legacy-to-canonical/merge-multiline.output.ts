import {
  MessageRouter,
  ToolDispatcher,
  getWebSocketManager,
} from 'unified-ws';
import type { UserContext } from 'unified-ws';

export const parts = [MessageRouter, ToolDispatcher, getWebSocketManager];
export type Ctx = UserContext;
