export async function lazy() {
  const { getWebSocketManager } = await import('unified-ws/websocket-core/websocket-manager');
  return getWebSocketManager();
}

export const later = () => import("unified-ws/websocket-core/websocket-manager-factory");
