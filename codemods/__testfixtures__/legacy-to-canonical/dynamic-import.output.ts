export async function lazy() {
  const { getWebSocketManager } = await import('unified-ws');
  return getWebSocketManager();
}

// unified-ws(UWS004): import() of unified-ws/websocket-core/websocket-manager-factory needs its names mapped by hand (WebSocketManagerFactory → getWebSocketManager().forUser(ctx) for createManager(ctx); getWebSocketManager() for getManager(); createWebSocketManager → getWebSocketManager().forUser(ctx)); left on its shim
export const later = () => import("unified-ws/websocket-core/websocket-manager-factory");
