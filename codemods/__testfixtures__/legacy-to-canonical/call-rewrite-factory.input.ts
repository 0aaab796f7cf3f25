import { WebSocketManagerFactory, createWebSocketManager } from 'unified-ws/websocket-core/websocket-manager-factory';

export function notify(ctx: { userId: string }) {
  const channel = WebSocketManagerFactory.createManager(ctx);
  const manager = WebSocketManagerFactory.getManager();
  const other = createWebSocketManager({ userId: 'bob' });
  return [channel, manager, other];
}
