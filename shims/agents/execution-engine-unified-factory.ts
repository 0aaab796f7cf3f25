// Generated from src/manifest/builtin.ts (UWS013) by `npm run generate`: do not edit.
// The migration-era "unified" engine factory.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS013');

/** @deprecated UWS013: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws013 */
export const UnifiedExecutionEngineFactory = countedExport('UWS013', implementation.UnifiedExecutionEngineFactory);
/** @deprecated UWS013: use new ExecutionEngine({ manager, agents, tools }).execute(ctx, request). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws013 */
export type UnifiedExecutionEngineFactory = implementation.UnifiedExecutionEngineFactory;
