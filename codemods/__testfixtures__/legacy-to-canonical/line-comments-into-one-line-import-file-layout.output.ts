import {
    MessageRouter,
    /* inbound */ ToolDispatcher,
    // the manager class
    WebSocketManager,
    getWebSocketManager // looked up at use time
} from 'unified-ws';

export const parts = [MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
