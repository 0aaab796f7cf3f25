/**
 * Wire codes: the `code` of an `error` frame and the WebSocket close codes the server uses.
 *
 * Both tables are protocol: clients branch on them. A retired code is never reused; new codes are
 * appended. docs/protocol.md documents each one and a meta-test keeps it in step with this file.
 */
export const FRAME_ERROR_CODES = {
  BAD_JSON: 'The frame is not valid JSON.',
  BAD_MESSAGE:
    'The frame is JSON but not a message: it needs a string `type`, an optional string `id`.',
  BINARY_UNSUPPORTED: 'Binary frames are not part of the protocol; send JSON text.',
  UNKNOWN_TYPE: 'No handler is registered for this message type.',
  INVALID_PAYLOAD: 'The payload does not match what the handler for this type accepts.',
  HANDLER_FAILED: 'The handler for this message failed; the connection stays open.',
  RATE_LIMITED: 'Too many messages on this connection; this one was dropped.',
  RESUME_IN_PROGRESS: 'A resume is already being answered on this connection.',
  RESUME_FAILED: 'The stream could not be read for this resume; try again.',
} as const;

export type FrameErrorCode = keyof typeof FRAME_ERROR_CODES;

/**
 * Close codes the server sends, ours and the ones `ws` sends on our side of the socket. 1000–1015
 * are RFC 6455's; 4000–4999 are ours. 1006 is not here: it is never sent, it is what a client
 * reports when the socket ends without a close frame (see docs/protocol.md).
 */
export const CLOSE_CODES = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  SLOW_CONSUMER: 4008,
  RESYNC: 4009,
  TOO_MANY_CONNECTIONS: 4029,
  PROTOCOL_ERROR: 1002,
  INVALID_FRAME_PAYLOAD_DATA: 1007,
  POLICY_VIOLATION: 1008,
  INTERNAL_ERROR: 1011,
  RATE_LIMIT_ABUSE: 4010,
  // The refusals of an upgrade, for a client that offered the `unified-ws.v1` subprotocol: a
  // browser cannot read the HTTP status of a refused upgrade, so such a client gets the upgrade
  // completed and closed at once with 4000 + the status (docs/protocol.md, "Refusals a browser
  // can see").
  UNAUTHORIZED: 4401,
  NOT_FOUND: 4404,
  FORBIDDEN: 4403,
  TOO_MANY_REQUESTS: 4429,
  UNAVAILABLE: 4503,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;

/** Why each close code is sent, for docs/protocol.md and for logs. */
export const CLOSE_REASONS: Readonly<Record<CloseCodeName, string>> = {
  NORMAL: 'The server ended the connection on purpose (for example the user was disconnected).',
  GOING_AWAY: 'The server is shutting down; reconnect (to another node) and resume.',
  MESSAGE_TOO_BIG: 'An inbound frame exceeded maxPayload (sent by ws itself).',
  SLOW_CONSUMER:
    'The connection fell further behind than its send budget; reconnect and resume to get what was missed.',
  RESYNC:
    'This node missed envelopes of the user that the stream no longer holds, or Redis restarted or came back with older state (scale-out); reconnect and resume.',
  TOO_MANY_CONNECTIONS: 'The user already has maxConnectionsPerUser open connections.',
  PROTOCOL_ERROR:
    'The client broke the framing rules (for example an unmasked frame or a bad opcode; sent by ws itself).',
  INVALID_FRAME_PAYLOAD_DATA:
    'A text message or a close reason from the client is not valid UTF-8 (sent by ws itself).',
  POLICY_VIOLATION:
    'One inbound message came in more than 16384 fragments or 262144 buffered chunks (sent by ws itself).',
  INTERNAL_ERROR:
    'The server could not open the user stream for a new connection (adapter failure); reconnect later.',
  RATE_LIMIT_ABUSE:
    'The connection kept sending far over its rate limit (rateLimit.abuseFactor / abuseWindows); slow down before reconnecting.',
  UNAUTHORIZED:
    'HTTP 401 for a client that offered unified-ws.v1: no token, or the authenticator refused it; do not retry with the same token.',
  NOT_FOUND:
    "HTTP 404 for a client that offered unified-ws.v1: the path is not the manager's; do not retry.",
  FORBIDDEN:
    'HTTP 403 for a client that offered unified-ws.v1: the Origin is not in allowedOrigins; do not retry.',
  TOO_MANY_REQUESTS:
    'HTTP 429 for a client that offered unified-ws.v1: the user holds maxConnectionsPerUser connections; retry with backoff.',
  UNAVAILABLE:
    'HTTP 503 for a client that offered unified-ws.v1: the manager is shutting down; retry with backoff (another node).',
};
