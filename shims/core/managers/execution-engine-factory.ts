// Generated from src/migration/manifest.ts (UWS012) by `npm run generate`: do not edit.
// The compatibility copy of the execution-engine factory.
import { reportModuleUse } from '../../../src/deprecation/index';

reportModuleUse('UWS012');

export {
  /** @deprecated UWS012: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws012 */
  ExecutionEngineFactory,
} from '../../../src/legacy/index';
