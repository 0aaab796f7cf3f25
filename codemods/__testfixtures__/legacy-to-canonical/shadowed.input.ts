import { websocketManager } from 'unified-ws/websocket-core/manager';

export function count(websocketManager: { connectionCount(): number }) {
  return websocketManager.connectionCount();
}

export const total = () => {
  const result = websocketManager.connectionCount();
  {
    const websocketManager = { connectionCount: () => 0 };
    return result + websocketManager.connectionCount();
  }
};
