// Generated from src/migration/manifest.ts (UWS017) by `npm run generate`: do not edit.
// The first tool dispatcher.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS017');

export {
  /** @deprecated UWS017: use import { ToolDispatcher } from 'unified-ws': register(name, tool), dispatch(run, name, input). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws017 */
  ToolDispatcher,
} from '../../src/legacy/index';
