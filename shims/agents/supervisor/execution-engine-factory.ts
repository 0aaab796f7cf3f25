// Generated from src/manifest/builtin.ts (UWS011) by `npm run generate`: do not edit.
// The supervisor’s execution-engine factory.
import { reportModuleUse } from '../../../src/deprecation/index';
import { countedExport } from '../../../src/legacy/counted';
import * as implementation from '../../../src/legacy/index';

reportModuleUse('UWS011');

/** @deprecated UWS011: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws011 */
export const ExecutionEngineFactory = countedExport('UWS011', implementation.ExecutionEngineFactory);
/** @deprecated UWS011: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws011 */
export type ExecutionEngineFactory = implementation.ExecutionEngineFactory;
