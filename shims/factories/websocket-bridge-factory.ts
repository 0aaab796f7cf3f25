// Generated from src/migration/manifest.ts (UWS010) by `npm run generate`: do not edit.
// The bridge factory’s second home.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS010');

export {
  /** @deprecated UWS010: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws010 */
  WebSocketBridgeFactory,
} from '../../src/legacy/index';
