// The one canonical public API of unified-ws. Values and types are exported apart so that
// type-only consumers never load runtime code.

export { WebSocketManager, getWebSocketManager } from './manager/websocket-manager';
export { UserChannel } from './manager/user-channel';
export { MANAGER_DEFAULTS } from './manager/options';
export { extractToken, devAuthenticate } from './manager/auth';
export { MessageRouter } from './router/message-router';
export { AgentRun } from './agents/agent-run';
export { ToolDispatcher } from './agents/tool-dispatcher';
export { ExecutionEngine } from './agents/execution-engine';
export { routeUserMessages } from './agents/user-message-route';
export { MemoryDeliveryAdapter } from './scale/memory-adapter';
export { createEnvelope, HISTORY_DEFAULTS } from './scale/user-stream';
export { RedisDeliveryAdapter } from './scale/redis-adapter';
export { startDemoServer } from './demo/demo-server';
export { calculatorAgent, calculatorTool } from './demo/calculator-agent';
export {
  AGENT_EVENTS,
  PROTOCOL_VERSION,
  FRAME_ERROR_CODES,
  CLOSE_CODES,
  CLOSE_REASONS,
  decodeInbound,
  findOrderViolation,
} from './protocol/index';
export {
  ERROR_CODES,
  UnifiedWsError,
  isUnifiedWsError,
  ManagerError,
  isManagerError,
  AgentRunError,
  isAgentRunError,
  RegistrationError,
  isRegistrationError,
  ToolCallError,
  isToolCallError,
  ClientError,
  isClientError,
  ManifestError,
  isManifestError,
  DeprecatedUseError,
  isDeprecatedUseError,
  RouteError,
  isRouteError,
} from './errors/index';

export {
  deprecationCounter,
  reportModuleUse,
  deprecatedModule,
  configureDeprecations,
  resetDeprecations,
  registerDeprecations,
  deprecationSnapshot,
  enableJsonLinesTelemetry,
  disableJsonLinesTelemetry,
  enableOpenTelemetry,
  expectDeprecation,
  withDeprecationsAllowed,
  POLICY_ENV,
  TELEMETRY_FILE_ENV,
  OTEL_METRIC,
} from './deprecation/index';
export { MANIFEST, RETIRED_CODES, manifestEntry } from './manifest/builtin';
export { parseManifest } from './manifest/from-json';
export { REWRITE_KINDS, WILDCARD } from './manifest/types';
export {
  canonicalOf,
  classifyCanonical,
  exportFor,
  isDeprecatedExport,
  legacyPackageSpecifier,
} from './manifest/targets';
export { legacyImportsConfig } from './lint/eslint-config';

export type {
  DeprecatedModule,
  Policy,
  DeprecationOptions,
  DeprecationSnapshot,
  CodeSnapshot,
  SiteSnapshot,
  JsonLinesOptions,
  TelemetryLine,
  OpenTelemetryOptions,
} from './deprecation/index';
export type {
  Manifest,
  ManifestEntry,
  ManifestEntryJson,
  LegacyExport,
  LegacyExportJson,
  RewriteKind,
} from './manifest/types';
export type { RestrictedImportsConfig } from './lint/eslint-config';
export type {
  ManagerStats,
  ConnectionInfo,
  WebSocketManagerEvents,
} from './manager/websocket-manager';
export type { WebSocketManagerOptions, Logger } from './manager/options';
export type { Authenticate, AuthResult } from './manager/auth';
export type { BucketLimit, RateLimit } from './manager/rate-limiter';
export type { AgentRunOptions, SendOptions } from './manager/user-channel';
export type { UserContext } from './agents/user-context';
export type { AgentRunState, EventError } from './agents/agent-run';
export type { Tool, ToolContext, ToolResult, DispatchOptions } from './agents/tool-dispatcher';
export type {
  Agent,
  AgentContext,
  ExecuteRequest,
  ExecutionEngineOptions,
  RunOutcome,
  ChannelSource,
} from './agents/execution-engine';
export type { UserMessagePayload, UserMessageRouteOptions } from './agents/user-message-route';
export type {
  Handler,
  HandlerContext,
  HandlerOptions,
  MessageRouterOptions,
  PayloadValidator,
  RouteContext,
} from './router/message-router';
export type {
  DeliveryAdapter,
  DeliverFn,
  AdapterHooks,
  ReplayedFrame,
  ReplayResult,
  StoredEnvelope,
} from './scale/delivery-adapter';
export type { MemoryAdapterOptions } from './scale/memory-adapter';
export type { RedisAdapterOptions } from './scale/redis-adapter';
export type { DemoServer, DemoServerOptions } from './demo/demo-server';
export type {
  AgentEventType,
  AgentEventPayloads,
  AgentStartedPayload,
  AgentThinkingPayload,
  ToolExecutingPayload,
  ToolCompletedPayload,
  AgentCompletedPayload,
  Envelope,
  InboundMessage,
  OutboundMessage,
  StreamPosition,
  ControlFrame,
  WelcomeFrame,
  ResumedFrame,
  ErrorFrame,
  AckFrame,
  PongFrame,
  FrameErrorCode,
  CloseCodeName,
} from './protocol/index';
export type { ErrorCode, UnifiedWsErrorOptions, DeprecatedUseDetails } from './errors/index';
