export async function load() {
  const { WebSocketManager } = await import('unified-ws');
  const { WebSocketManager: UnifiedWebSocketManager, WebSocketManager: Renamed } = await import('unified-ws');
  // unified-ws(UWS003): websocketManager has no safe automatic rewrite (getWebSocketManager() from 'unified-ws'…; see docs/deprecations.md#uws003
  const { websocketManager } = await import('unified-ws/websocket-core/manager');
  return [WebSocketManager, UnifiedWebSocketManager, Renamed, websocketManager];
}
