// Generated from src/manifest/builtin.ts (UWS016) by `npm run generate`: do not edit.
// The services copy of the handler-table router.
import { reportModuleUse } from '../../../src/deprecation/index';
import { countedExport } from '../../../src/legacy/counted';
import * as implementation from '../../../src/legacy/index';

reportModuleUse('UWS016');

/** @deprecated UWS016: use manager.router.on(type, (payload, { userId, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws016 */
export const MessageRouter = countedExport('UWS016', implementation.MessageRouter);
/** @deprecated UWS016: use manager.router.on(type, (payload, { userId, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws016 */
export type MessageRouter = implementation.MessageRouter;
