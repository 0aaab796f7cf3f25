// Generated from src/manifest/builtin.ts (UWS004) by `npm run generate`: do not edit.
// The per-call manager factory.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS004');

/** @deprecated UWS004: use getWebSocketManager().forUser(ctx) for createManager(ctx); getWebSocketManager() for getManager(). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws004 */
export const WebSocketManagerFactory = countedExport('UWS004', implementation.WebSocketManagerFactory);
/** @deprecated UWS004: use getWebSocketManager().forUser(ctx) for createManager(ctx); getWebSocketManager() for getManager(). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws004 */
export type WebSocketManagerFactory = implementation.WebSocketManagerFactory;
/** @deprecated UWS004: use getWebSocketManager().forUser(ctx). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws004 */
export const createWebSocketManager = countedExport('UWS004', implementation.createWebSocketManager);
