// Generated from src/manifest/builtin.ts (UWS020) by `npm run generate`: do not edit.
// The "enhanced" tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS020');

/** @deprecated UWS020: use import { ToolDispatcher } from 'unified-ws': dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws020 */
export const EnhancedToolDispatcher = countedExport('UWS020', implementation.EnhancedToolDispatcher);
/** @deprecated UWS020: use import { ToolDispatcher } from 'unified-ws': dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws020 */
export type EnhancedToolDispatcher = implementation.EnhancedToolDispatcher;
