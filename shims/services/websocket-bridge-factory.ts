// Generated from src/manifest/builtin.ts (UWS009) by `npm run generate`: do not edit.
// The deprecated bridge factory.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS009');

/** @deprecated UWS009: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws009 */
export const WebSocketBridgeFactory = countedExport('UWS009', implementation.WebSocketBridgeFactory);
/** @deprecated UWS009: use manager.forUser(ctx).agentRun({ runId: ctx.runId }) and its start / thinking / toolExecuting / toolCompleted / complete. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws009 */
export type WebSocketBridgeFactory = implementation.WebSocketBridgeFactory;
