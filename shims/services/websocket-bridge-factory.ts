// Generated from src/migration/manifest.ts (UWS009) by `npm run generate`: do not edit.
// The deprecated bridge factory.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS009');

export {
  /** @deprecated UWS009: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws009 */
  WebSocketBridgeFactory,
} from '../../src/legacy/index';
