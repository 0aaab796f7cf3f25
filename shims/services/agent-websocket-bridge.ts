// Generated from src/manifest/builtin.ts (UWS007) by `npm run generate`: do not edit.
// The agent WebSocket bridge and its notifier.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS007');

/** @deprecated UWS007: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws007 */
export const WebSocketNotifier = countedExport('UWS007', implementation.WebSocketNotifier);
/** @deprecated UWS007: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws007 */
export type WebSocketNotifier = implementation.WebSocketNotifier;
/** @deprecated UWS007: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws007 */
export const AgentWebSocketBridge = countedExport('UWS007', implementation.AgentWebSocketBridge);
/** @deprecated UWS007: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws007 */
export type AgentWebSocketBridge = implementation.AgentWebSocketBridge;
