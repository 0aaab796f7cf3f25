// Generated from src/migration/manifest.ts (UWS004) by `npm run generate`: do not edit.
// The per-call manager factory.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS004');

export {
  /** @deprecated UWS004: use getWebSocketManager().forUser(ctx) for createManager(ctx); getWebSocketManager() for getManager(). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws004 */
  WebSocketManagerFactory,
  /** @deprecated UWS004: use getWebSocketManager().forUser(ctx). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws004 */
  createWebSocketManager,
} from '../../src/legacy/index';
