// Generated from src/migration/manifest.ts (UWS018) by `npm run generate`: do not edit.
// The "unified" tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS018');

export {
  /** @deprecated UWS018: use import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws018 */
  UnifiedToolDispatcher,
} from '../../src/legacy/index';
