import { MessageRouter, WebSocketManager as UnifiedWebSocketManager, getWebSocketManager, type UserContext } from "unified-ws"

export const parts = [MessageRouter, UnifiedWebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
