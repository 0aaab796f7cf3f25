// Generated from src/manifest/builtin.ts (UWS019) by `npm run generate`: do not edit.
// The per-request tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS019');

/** @deprecated UWS019: use import { ToolDispatcher } from 'unified-ws': dispatch(manager.forUser(ctx).agentRun({ runId: ctx.runId }), name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws019 */
export const RequestScopedToolDispatcher = countedExport('UWS019', implementation.RequestScopedToolDispatcher);
/** @deprecated UWS019: use import { ToolDispatcher } from 'unified-ws': dispatch(manager.forUser(ctx).agentRun({ runId: ctx.runId }), name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws019 */
export type RequestScopedToolDispatcher = implementation.RequestScopedToolDispatcher;
