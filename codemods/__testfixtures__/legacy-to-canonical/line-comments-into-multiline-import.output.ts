import {
    AgentRun,
    getWebSocketManager, // looked up at use time
    MessageRouter,
    ToolDispatcher,
    // the manager class
    WebSocketManager
} from 'unified-ws';

export const parts = [AgentRun, MessageRouter, ToolDispatcher, WebSocketManager, getWebSocketManager];
