declare module 'unified-ws/websocket-core/websocket-manager' {
  interface UserContext {
    tenant?: string;
  }
}

declare module 'unified-ws/agents/tool-dispatcher' {
  interface ToolDispatcher {
    extra(): void;
  }
}

export {};
