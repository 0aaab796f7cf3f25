import React from 'react';
import { getWebSocketManager } from 'unified-ws';

export function Status({ userId }: { userId: string }) {
  return <span title={String(getWebSocketManager().isConnected(userId))}>{userId}</span>;
}
