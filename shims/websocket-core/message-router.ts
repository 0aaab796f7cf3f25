// Generated from src/manifest/builtin.ts (UWS015) by `npm run generate`: do not edit.
// The context-passing message router.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS015');

/** @deprecated UWS015: use manager.router.on(type, (payload, { user, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws015 */
export const WebSocketMessageRouter = countedExport('UWS015', implementation.WebSocketMessageRouter);
/** @deprecated UWS015: use manager.router.on(type, (payload, { user, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws015 */
export type WebSocketMessageRouter = implementation.WebSocketMessageRouter;
