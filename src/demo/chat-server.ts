import type { Server } from 'node:http';
import { MANAGER_DEFAULTS } from '../manager/options';
import { closeOwnServer, createOwnServer, listen } from '../manager/own-server';
import { chatPageHandler } from './chat-page';
import { startDemoServer, type DemoServer, type DemoServerOptions } from './demo-server';

export interface ChatServerOptions extends Omit<DemoServerOptions, 'server' | 'port'> {
  /** The port for both the page and the WebSocket (0: a free one). */
  port: number;
}

export interface ChatServer extends DemoServer {
  /** The HTTP server that answers the page and carries the upgrades. */
  http: Server;
  /** The chat page, e.g. http://127.0.0.1:8080/ */
  pageUrl: string;
  /** The WebSocket endpoint, e.g. ws://127.0.0.1:8080/ws */
  wsUrl: string;
}

/**
 * The demo server with its chat page (what `unified-ws serve` runs): one HTTP server answers the
 * page and the browser build of unified-ws/client, and carries the manager's upgrades, with the
 * headers timeout of the server the manager would create itself.
 */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const { port, headersTimeoutMs = MANAGER_DEFAULTS.headersTimeoutMs, ...rest } = options;
  const path = rest.path ?? MANAGER_DEFAULTS.path;
  const http = createOwnServer(headersTimeoutMs, chatPageHandler({ wsPath: path }));
  const demo = await startDemoServer({ ...rest, server: http });
  try {
    await listen(http, port, rest.host);
  } catch (error) {
    await demo.close();
    throw error;
  }
  const { address, port: bound } = demo.manager.address();
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    ...demo,
    http,
    pageUrl: `http://${host}:${bound}/`,
    wsUrl: `ws://${host}:${bound}${path}`,
    close: async () => {
      await demo.close();
      await closeOwnServer(http);
    },
  };
}
