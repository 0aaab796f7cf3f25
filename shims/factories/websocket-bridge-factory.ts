// Generated from src/manifest/builtin.ts (UWS010) by `npm run generate`: do not edit.
// The bridge factory’s second home.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS010');

/** @deprecated UWS010: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws010 */
export const WebSocketBridgeFactory = countedExport('UWS010', implementation.WebSocketBridgeFactory);
/** @deprecated UWS010: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws010 */
export type WebSocketBridgeFactory = implementation.WebSocketBridgeFactory;
