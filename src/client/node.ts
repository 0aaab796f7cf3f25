// The Node entry of unified-ws/client: the same API, with ws and the Authorization header.
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../protocol/subprotocol';
import type { AppEvents } from './events';
import type { ClientOptions } from './options';
import type { SocketFactory, WebSocketLike } from './socket';
import { UnifiedWsClient as BaseClient } from './unified-ws-client';

export * from './index';

/**
 * ws with the token in the `Authorization: Bearer` header, where it stays out of URLs and logs,
 * offering `unified-ws.v1` so that refusals come as close codes as they do in browsers (ws also
 * reports the HTTP status of a refused upgrade, which the client reads as well).
 */
export const nodeWebSocketFactory: SocketFactory = (url, token) =>
  new WebSocket(
    url,
    [SUBPROTOCOL],
    token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  ) as unknown as WebSocketLike;

export class UnifiedWsClient<App extends AppEvents<App> = {}> extends BaseClient<App> {
  constructor(options: ClientOptions) {
    super({ createSocket: nodeWebSocketFactory, ...options });
  }
}
