// The chat server, as it was written before the consolidation: four import paths to one manager,
// a factory per call, a notifier and a router of its own.
import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';
import { getWebSocketManager, type UserContext } from 'unified-ws/websocket-core/websocket-manager';
import { websocketManager } from 'unified-ws/websocket-core/manager';
import { WebSocketManagerFactory } from 'unified-ws/websocket-core/websocket-manager-factory';
import type { WebSocketManagerProtocol } from 'unified-ws/websocket-core/protocols';
import { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';
import { MessageRouter } from 'unified-ws/websocket-core/handlers';

const notifier = new WebSocketManagerAdapter();

export function startServer(): WebSocketManagerProtocol {
  const manager = new UnifiedWebSocketManager({
    port: 0,
    host: '127.0.0.1',
    authenticate: (_request, token) => (token?.startsWith('user:') ? token.slice(5) : null),
  });
  new MessageRouter().addHandler('ask', async (userId, message) => {
    const ctx: UserContext = { userId, runId: message.id ?? 'run' };
    await notifier.notifyAgentStarted(ctx, 'echo');
    await notifier.notifyAgentThinking(ctx, 'echoing');
    await notifier.notifyToolExecuting(ctx, 'echo', message.payload);
    await notifier.notifyToolCompleted(ctx, 'echo', message.payload);
    await notifier.notifyAgentCompleted(ctx, { echo: message.payload });
    return 'done';
  });
  return manager;
}

export function announce(userId: string, text: string) {
  return WebSocketManagerFactory.createManager({ userId }).send('announcement', { text });
}

export function online(userId: string): boolean {
  return websocketManager.isConnected(userId);
}

export function current() {
  return getWebSocketManager();
}
