// Generated from src/manifest/builtin.ts (UWS012) by `npm run generate`: do not edit.
// The compatibility copy of the execution-engine factory.
import { reportModuleUse } from '../../../src/deprecation/index';
import { countedExport } from '../../../src/legacy/counted';
import * as implementation from '../../../src/legacy/index';

reportModuleUse('UWS012');

/** @deprecated UWS012: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws012 */
export const ExecutionEngineFactory = countedExport('UWS012', implementation.ExecutionEngineFactory);
/** @deprecated UWS012: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws012 */
export type ExecutionEngineFactory = implementation.ExecutionEngineFactory;
