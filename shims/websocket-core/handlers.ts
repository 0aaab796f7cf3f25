// Generated from src/manifest/builtin.ts (UWS014) by `npm run generate`: do not edit.
// The handler-table router.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS014');

/** @deprecated UWS014: use manager.router.on(type, (payload, { userId, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws014 */
export const MessageRouter = countedExport('UWS014', implementation.MessageRouter);
/** @deprecated UWS014: use manager.router.on(type, (payload, { userId, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws014 */
export type MessageRouter = implementation.MessageRouter;
