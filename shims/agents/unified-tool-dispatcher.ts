// Generated from src/manifest/builtin.ts (UWS018) by `npm run generate`: do not edit.
// The "unified" tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS018');

/** @deprecated UWS018: use import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws018 */
export const UnifiedToolDispatcher = countedExport('UWS018', implementation.UnifiedToolDispatcher);
/** @deprecated UWS018: use import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws018 */
export type UnifiedToolDispatcher = implementation.UnifiedToolDispatcher;
