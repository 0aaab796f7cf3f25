// Generated from src/manifest/builtin.ts (UWS006) by `npm run generate`: do not edit.
// The agent registry’s WebSocket adapter.
import { reportModuleUse } from '../../../src/deprecation/index';
import { countedExport } from '../../../src/legacy/counted';
import * as implementation from '../../../src/legacy/index';

reportModuleUse('UWS006');

/** @deprecated UWS006: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws006 */
export const WebSocketManagerAdapter = countedExport('UWS006', implementation.WebSocketManagerAdapter);
/** @deprecated UWS006: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws006 */
export type WebSocketManagerAdapter = implementation.WebSocketManagerAdapter;
