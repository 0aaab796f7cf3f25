// Generated from src/manifest/builtin.ts (UWS008) by `npm run generate`: do not edit.
// The duplicate notifier of the rollback script.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS008');

/** @deprecated UWS008: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws008 */
export const WebSocketNotifier = countedExport('UWS008', implementation.WebSocketNotifier);
/** @deprecated UWS008: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws008 */
export type WebSocketNotifier = implementation.WebSocketNotifier;
