// The Node entry of unified-ws/client: the same API, with ws and the Authorization header.
import WebSocket from 'ws';
import {
  UnifiedWsClient as BaseClient,
  type ClientOptions,
  type SocketFactory,
  type WebSocketLike,
} from './unified-ws-client';

export * from './index';

/** ws with the token in the `Authorization: Bearer` header, where it stays out of URLs and logs. */
export const nodeWebSocketFactory: SocketFactory = (url, token) =>
  new WebSocket(
    url,
    token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  ) as unknown as WebSocketLike;

export class UnifiedWsClient extends BaseClient {
  constructor(options: ClientOptions) {
    super({ createSocket: nodeWebSocketFactory, ...options });
  }
}
