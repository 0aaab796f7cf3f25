// Generated from src/migration/manifest.ts (UWS011) by `npm run generate`: do not edit.
// The supervisor’s execution-engine factory.
import { reportModuleUse } from '../../../src/deprecation/index';

reportModuleUse('UWS011');

export {
  /** @deprecated UWS011: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws011 */
  ExecutionEngineFactory,
} from '../../../src/legacy/index';
