import { getWebSocketManager } from 'unified-ws';

export function count(websocketManager: { connectionCount(): number }) {
  return websocketManager.connectionCount();
}

export const total = () => {
  const result = getWebSocketManager().connectionCount();
  {
    const websocketManager = { connectionCount: () => 0 };
    return result + websocketManager.connectionCount();
  }
};
