// One socket.io 4.8 node as its users deliver per user, for the peer rows of bench/delivery and
// bench/cluster: the handshake's auth token names the user (the same dev tokens, checked by the
// same function), each socket joins the room named by its user id, and a message is
// `io.to(userId).emit('tick', payload)`. Websocket transport only, like the bench clients.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer, type ServerOptions } from 'socket.io';
import { devAuthenticate } from '../src/manager/auth';

export interface SocketIoNode {
  io: SocketIoServer;
  /** Where socket.io-client connects: http://127.0.0.1:<port>. */
  url: string;
  close(): Promise<void>;
}

/** Starts one node on a free loopback port; `adapter` spreads rooms across nodes (Redis). */
export async function socketIoNode(adapter?: ServerOptions['adapter']): Promise<SocketIoNode> {
  const http = createServer();
  const io = new SocketIoServer(http, {
    transports: ['websocket'],
    serveClient: false,
    ...(adapter ? { adapter } : {}),
  });
  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth.token;
    const userId = devAuthenticate(socket.request, typeof token === 'string' ? token : undefined);
    if (typeof userId !== 'string') return next(new Error('unauthorized'));
    socket.data.userId = userId;
    next();
  });
  io.on('connection', (socket) => void socket.join(socket.data.userId as string));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    io,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
