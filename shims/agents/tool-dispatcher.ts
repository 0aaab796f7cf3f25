// Generated from src/manifest/builtin.ts (UWS017) by `npm run generate`: do not edit.
// The first tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS017');

/** @deprecated UWS017: use import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws017 */
export const ToolDispatcher = countedExport('UWS017', implementation.ToolDispatcher);
/** @deprecated UWS017: use import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws017 */
export type ToolDispatcher = implementation.ToolDispatcher;
