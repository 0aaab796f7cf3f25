import { MessageRouter } from "unified-ws"
import { UnifiedWebSocketManager } from "unified-ws/websocket-core/unified-manager"
import { getWebSocketManager, type UserContext } from "unified-ws/websocket-core/websocket-manager"

export const parts = [MessageRouter, UnifiedWebSocketManager, getWebSocketManager];
export type Ctx = UserContext;
