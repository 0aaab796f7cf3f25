export async function load() {
  const { WebSocketManager } = await import('unified-ws/websocket-core/manager');
  const { UnifiedWebSocketManager, UnifiedWebSocketManager: Renamed } = await import('unified-ws/websocket-core/unified-manager');
  const { websocketManager } = await import('unified-ws/websocket-core/manager');
  return [WebSocketManager, UnifiedWebSocketManager, Renamed, websocketManager];
}
