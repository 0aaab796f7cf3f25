import { ConnectionHub } from './connection-hub';

/** The presence service: its own socket server, on its own port. */
export function startPresence(): ConnectionHub {
  return new ConnectionHub({
    port: 0,
    host: '127.0.0.1',
    authenticate: (_request, token) => (token?.startsWith('user:') ? token.slice(5) : null),
  });
}

export { presenceOf } from './status';
