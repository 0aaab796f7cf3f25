// Generated from src/migration/manifest.ts (UWS008) by `npm run generate`: do not edit.
// The duplicate notifier of the rollback script.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS008');

export {
  /** @deprecated UWS008: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws008 */
  WebSocketNotifier,
} from '../../src/legacy/index';
