// The browser entry of unified-ws/client: nothing here imports Node modules.
export { UnifiedWsClient } from './unified-ws-client';
export type { ClientState, RequestOptions } from './unified-ws-client';
export { globalWebSocketFactory } from './socket';
export type { SocketFactory, SocketFactoryOptions, TokenTransport, WebSocketLike } from './socket';
export { CLIENT_DEFAULTS, HEARTBEAT_DEFAULTS, RECONNECT_DEFAULTS } from './options';
export type {
  ClientOptions,
  HeartbeatOptions,
  OfflineQueueOptions,
  ReconnectOptions,
} from './options';
export { LIFECYCLE_EVENTS } from './events';
export type {
  AppEvents,
  ClientEvents,
  CloseEvent,
  EnvelopeEvents,
  LifecycleEventName,
  LifecycleEvents,
  ReconnectAttemptEvent,
} from './events';
export { CLIENT_CLOSE_CODES } from './refusals';
export { ClientError, isClientError } from '../errors/client-error';
export {
  BEARER_PROTOCOL_PREFIX,
  SUBPROTOCOL,
  decodeBearerProtocol,
  encodeBearerProtocol,
} from '../protocol/subprotocol';
export { AGENT_EVENTS } from '../protocol/envelope';
export type {
  AgentEventPayloads,
  AgentEventType,
  AckFrame,
  Envelope,
  ErrorFrame,
  ResumedFrame,
  StreamPosition,
  WelcomeFrame,
} from '../protocol/envelope';
