export async function lazy() {
  const { getWebSocketManager } = await import('unified-ws');
  return getWebSocketManager();
}

// unified-ws(UWS004): import(): its names differ in the canonical module; migrate by hand; see docs/deprecations.md#uws004
export const later = () => import("unified-ws/websocket-core/websocket-manager-factory");
