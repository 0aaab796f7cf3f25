// The browser entry of unified-ws/client: nothing here imports Node modules.
export { UnifiedWsClient, globalWebSocketFactory } from './unified-ws-client';
export type {
  ClientEvents,
  ClientOptions,
  ReconnectOptions,
  SocketFactory,
  WebSocketLike,
} from './unified-ws-client';
export { ClientError, isClientError } from '../errors/client-error';
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
