// Generated from src/migration/manifest.ts (UWS003) by `npm run generate`: do not edit.
// The legacy manager module and its module-level instance.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS003');

export {
  /** @deprecated UWS003: use import { WebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws003 */
  WebSocketManager,
} from '../../src/index';
export {
  /** @deprecated UWS003: use getWebSocketManager() from 'unified-ws' (websocketManager.x → getWebSocketManager().x). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws003 */
  websocketManager,
} from '../../src/legacy/index';
