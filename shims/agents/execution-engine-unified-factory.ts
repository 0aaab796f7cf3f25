// Generated from src/migration/manifest.ts (UWS013) by `npm run generate`: do not edit.
// The migration-era "unified" engine factory.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS013');

export {
  /** @deprecated UWS013: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws013 */
  UnifiedExecutionEngineFactory,
} from '../../src/legacy/index';
