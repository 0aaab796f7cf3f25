// The presence service's own socket server, written before unified-ws was adopted: a second
// per-user connection registry beside the chat server's.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ConnectionHubOptions {
  port?: number;
  host?: string;
  path?: string;
  authenticate: (request: IncomingMessage, token: string | undefined) => string | null;
}

export class ConnectionHub {
  private readonly server: WebSocketServer;
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly listening: Promise<void>;

  constructor(options: ConnectionHubOptions) {
    const path = options.path ?? '/ws';
    this.server = new WebSocketServer({
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      verifyClient: (info, done) => {
        const match = /^Bearer\s+(\S+)$/i.exec(info.req.headers.authorization ?? '');
        const userId =
          info.req.url?.split('?')[0] === path ? options.authenticate(info.req, match?.[1]) : null;
        if (userId === null) return done(false, 401);
        (info.req as IncomingMessage & { userId?: string }).userId = userId;
        done(true);
      },
    });
    this.listening = new Promise((resolve) => this.server.once('listening', resolve));
    this.server.on('connection', (socket, request) => {
      const userId = (request as IncomingMessage & { userId: string }).userId;
      const set = this.sockets.get(userId) ?? new Set<WebSocket>();
      set.add(socket);
      this.sockets.set(userId, set);
      socket.on('close', () => {
        set.delete(socket);
        if (set.size === 0) this.sockets.delete(userId);
      });
    });
  }

  ready(): Promise<void> {
    return this.listening;
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  isConnected(userId: string): boolean {
    return (this.sockets.get(userId)?.size ?? 0) > 0;
  }

  connectionCount(userId: string): number {
    return this.sockets.get(userId)?.size ?? 0;
  }

  disconnect(userId: string): number {
    const set = this.sockets.get(userId) ?? new Set<WebSocket>();
    for (const socket of set) socket.close(1000, 'disconnected');
    return set.size;
  }

  close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
