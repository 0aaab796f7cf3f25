import type { FrameErrorCode } from './codes';

/** Version of the envelope format; bumped only for incompatible changes. */
export const PROTOCOL_VERSION = 1;

/** The five agent events, in the order a run emits them. */
export const AGENT_EVENTS = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
] as const;

export type AgentEventType = (typeof AGENT_EVENTS)[number];

/**
 * One message of a user's stream. `seq` grows by one per user stream; `epoch` names the stream,
 * so an offset from another incarnation of it is never trusted on resume.
 */
export interface Envelope<P = unknown> {
  v: typeof PROTOCOL_VERSION;
  type: string;
  userId: string;
  runId?: string;
  seq: number;
  epoch: string;
  /** Milliseconds since the Unix epoch, when the server appended it to the stream. */
  ts: number;
  payload: P;
}

/** What a sender hands to the stream; the adapter assigns seq, epoch and ts. */
export interface OutboundMessage {
  type: string;
  runId?: string;
  payload: unknown;
}

/** A client → server message. */
export interface InboundMessage {
  type: string;
  id?: string;
  payload: unknown;
}

/** A position in a user's stream: the last seq seen within an epoch. */
export interface StreamPosition {
  epoch: string;
  seq: number;
}

/** Control frames: sent to one connection, outside the user's stream (they carry no seq). */
export interface WelcomeFrame extends StreamPosition {
  type: 'welcome';
  v: typeof PROTOCOL_VERSION;
  userId: string;
  connectionId: string;
}

export interface ResumedFrame extends StreamPosition {
  type: 'resumed';
  recovered: boolean;
  /** How many envelopes were replayed before this frame. */
  replayed: number;
}

export interface ErrorFrame {
  type: 'error';
  code: FrameErrorCode;
  message: string;
  id?: string;
}

export interface AckFrame {
  type: 'ack';
  id: string;
  payload?: unknown;
}

/** Answers a client's `ping` (the application-level heartbeat), with the ping's id. */
export interface PongFrame {
  type: 'pong';
  id?: string;
}

export type ControlFrame = WelcomeFrame | ResumedFrame | ErrorFrame | AckFrame | PongFrame;

/** Types a sender may not use on a channel: they belong to the manager or to AgentRun. */
export const CONTROL_TYPES: ReadonlySet<string> = new Set([
  'welcome',
  'resumed',
  'error',
  'ack',
  'pong',
]);

/** Inbound types the manager answers itself, before the router. */
export const RESUME_TYPE = 'resume';
/**
 * The application-level heartbeat: `{ type: 'ping', id }` is answered `{ type: 'pong', id }` by the
 * manager. A browser cannot see WebSocket ping frames, so this is how its client learns that the
 * connection still carries traffic both ways.
 */
export const PING_TYPE = 'ping';
export const PONG_TYPE = 'pong';
/** Every inbound type the manager answers itself: a router handler cannot take one over. */
export const MANAGER_TYPES: ReadonlySet<string> = new Set([RESUME_TYPE, PING_TYPE]);

export type AgentCompletedStatus = 'ok' | 'error';

export interface AgentStartedPayload {
  agent: string;
  input?: unknown;
}
export interface AgentThinkingPayload {
  text: string;
}
export interface ToolExecutingPayload {
  callId: string;
  tool: string;
  input?: unknown;
}
export interface ToolCompletedPayload {
  callId: string;
  tool: string;
  status: AgentCompletedStatus;
  output?: unknown;
  error?: { code: string; message: string };
}
export interface AgentCompletedPayload {
  status: AgentCompletedStatus;
  result?: unknown;
  error?: { code: string; message: string };
}

/** Payload type of each agent event, for typed callbacks. */
export interface AgentEventPayloads {
  agent_started: AgentStartedPayload;
  agent_thinking: AgentThinkingPayload;
  tool_executing: ToolExecutingPayload;
  tool_completed: ToolCompletedPayload;
  agent_completed: AgentCompletedPayload;
}
