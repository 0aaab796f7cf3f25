import { getWebSocketManager } from 'unified-ws';

export function notify(ctx: { userId: string }) {
  const channel = getWebSocketManager().forUser(ctx);
  const manager = getWebSocketManager();
  const other = getWebSocketManager().forUser({ userId: 'bob' });
  return [channel, manager, other];
}
