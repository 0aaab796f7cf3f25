declare module 'unified-ws' {
  interface UserContext {
    tenant?: string;
  }
}

// unified-ws(UWS017): declare module: its names differ in the canonical module; migrate by hand; see docs/deprecations.md#uws017
declare module 'unified-ws/agents/tool-dispatcher' {
  interface ToolDispatcher {
    extra(): void;
  }
}

export {};
