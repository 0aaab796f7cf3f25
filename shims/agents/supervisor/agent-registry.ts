// Generated from src/migration/manifest.ts (UWS006) by `npm run generate`: do not edit.
// The agent registry’s WebSocket adapter.
import { reportModuleUse } from '../../../src/deprecation/index';

reportModuleUse('UWS006');

export {
  /** @deprecated UWS006: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws006 */
  WebSocketManagerAdapter,
} from '../../../src/legacy/index';
