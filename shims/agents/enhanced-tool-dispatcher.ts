// Generated from src/migration/manifest.ts (UWS020) by `npm run generate`: do not edit.
// The "enhanced" tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS020');

export {
  /** @deprecated UWS020: use import { ToolDispatcher } from 'unified-ws': dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws020 */
  EnhancedToolDispatcher,
} from '../../src/legacy/index';
