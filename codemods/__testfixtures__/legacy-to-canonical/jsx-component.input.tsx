import React from 'react';
import { websocketManager } from 'unified-ws/websocket-core/manager';

export function Status({ userId }: { userId: string }) {
  return <span title={String(websocketManager.isConnected(userId))}>{userId}</span>;
}
