// Generated from src/migration/manifest.ts (UWS019) by `npm run generate`: do not edit.
// The per-request tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS019');

export {
  /** @deprecated UWS019: use import { ToolDispatcher } from 'unified-ws': dispatch(manager.forUser(ctx).agentRun({ runId: ctx.runId }), name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws019 */
  RequestScopedToolDispatcher,
} from '../../src/legacy/index';
