declare module 'unified-ws' {
  interface UserContext {
    tenant?: string;
  }
}

// unified-ws(UWS017): declare module of unified-ws/agents/tool-dispatcher needs its names mapped by hand (ToolDispatcher → import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input)); left on its shim
declare module 'unified-ws/agents/tool-dispatcher' {
  interface ToolDispatcher {
    extra(): void;
  }
}

export {};
