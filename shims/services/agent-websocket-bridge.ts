// Generated from src/migration/manifest.ts (UWS007) by `npm run generate`: do not edit.
// The agent WebSocket bridge and its notifier.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS007');

export {
  /** @deprecated UWS007: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws007 */
  WebSocketNotifier,
  /** @deprecated UWS007: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws007 */
  AgentWebSocketBridge,
} from '../../src/legacy/index';
