/**
 * The registry of codes carried by errors that unified-ws throws in-process.
 *
 * Codes are stable API: tests and callers match on `err.code`, never on message text.
 * A retired code is never reused; new codes are appended. docs/errors.md lists every code
 * and a meta-test keeps the two in step.
 */
export const ERROR_CODES = {
  UWS_ERR_NO_DEFAULT_MANAGER:
    'No WebSocketManager is registered as the process default; create one with `new WebSocketManager(options)` before calling getWebSocketManager().',
  UWS_ERR_DEFAULT_MANAGER_EXISTS:
    'A WebSocketManager is already registered as the process default; close it first, or pass `{ register: false }` for an extra, unregistered manager.',
  UWS_ERR_MANAGER_CLOSED:
    'The WebSocketManager is closed; nothing can be sent through it any more.',
  UWS_ERR_INVALID_USER: 'A user id must be a non-empty string.',
  UWS_ERR_RESERVED_TYPE:
    'This message type is reserved: agent events go through channel.agentRun(), control frames are sent by the manager.',
  UWS_ERR_RUN_NOT_STARTED: 'The agent run has not started; call run.start() first.',
  UWS_ERR_RUN_ALREADY_STARTED: 'The agent run has already started.',
  UWS_ERR_RUN_COMPLETED: 'The agent run has completed; no event can follow agent_completed.',
  UWS_ERR_UNKNOWN_TOOL_CALL:
    'tool_completed names a call id that has no open tool_executing in this run.',
  UWS_ERR_TOOL_CALLS_PENDING:
    'The run still has tool calls without tool_completed; complete them or use run.fail().',
  UWS_ERR_DUPLICATE_TOOL_CALL: 'A tool call with this id is already open in this run.',
  UWS_ERR_DUPLICATE_REGISTRATION: 'A handler, tool or agent with this name is already registered.',
  UWS_ERR_UNKNOWN_AGENT: 'No agent with this name is registered with the ExecutionEngine.',
  UWS_ERR_TOOL_FAILED: 'The tool call failed; tool_completed carried the error to the client.',
  UWS_ERR_CLIENT_NOT_CONNECTED:
    'The client is not connected; wait for connect() or the `open` event.',
  UWS_ERR_CLIENT_CLOSED: 'The client was closed.',
  UWS_ERR_CLIENT_UNAUTHORIZED:
    'The server refused the token (close 4401, or HTTP 401); the client does not retry.',
  UWS_ERR_CLIENT_REQUEST_FAILED: 'The server answered the request with an error frame.',
  UWS_ERR_CLIENT_NO_WEBSOCKET:
    'No WebSocket implementation: pass `createSocket`, or use the Node entry of unified-ws/client.',
  UWS_ERR_MANIFEST_INVALID:
    'The manifest is not valid; the error lists every problem with its JSON path.',
  UWS_ERR_DEPRECATED_USE: 'A deprecated entry point was used while its policy is `throw`.',
  UWS_ERR_REMOVED: 'A legacy entry point was used in a version that removed it; run the codemod.',
  UWS_ERR_ROUTE_FAILED: 'A legacy router could not route the message; the error frame says why.',
  UWS_ERR_INVALID_OPTION:
    'An option is missing, out of range, or impossible together with another; the message names it.',
  UWS_ERR_UNKNOWN_DEPRECATION_CODE:
    'A deprecation code that no registered manifest defines; register the manifest first.',
  UWS_ERR_GIT: 'A git command could not run or failed; the message has git’s own words.',
  UWS_ERR_JOURNAL_CORRUPT:
    'The migration journal cannot be read; the message says how to recover by hand.',
  UWS_ERR_CODEMOD_WORKER: 'A codemod worker process exited before it finished its files.',
  UWS_ERR_DEPRECATION_CONFLICT:
    'A deprecation code is already registered for another legacy module, or with other data; a code names one entry.',
  UWS_ERR_CLIENT_NOT_FOUND:
    'The server has no unified-ws endpoint at this path (close 4404, or HTTP 404); the client does not retry.',
  UWS_ERR_CLIENT_FORBIDDEN:
    'The server refused this origin (close 4403, or HTTP 403); the client does not retry.',
  UWS_ERR_CLIENT_REQUEST_TIMEOUT:
    'No answer to the request within its timeout (requestTimeoutMs, or the timeoutMs of the call).',
  UWS_ERR_CLIENT_QUEUE_FULL:
    'The offline queue already holds offlineQueue.maxSize requests; this one was not queued.',
  UWS_ERR_CLIENT_CONNECT_FAILED:
    'A connection attempt ended before the welcome; `closeCode` and `closeReason` say how.',
  UWS_ERR_CLIENT_RECONNECT_FAILED:
    'The client gave up after reconnect.maxRetries failed attempts; `cause` is the last failure.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
