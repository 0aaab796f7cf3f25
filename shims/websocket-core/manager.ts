// Generated from src/manifest/builtin.ts (UWS003) by `npm run generate`: do not edit.
// The legacy manager module and its module-level instance.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS003');

export {
  /** @deprecated UWS003: use import { WebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws003 */
  WebSocketManager,
} from '../../src/index';
/** @deprecated UWS003: use getWebSocketManager() from 'unified-ws' (websocketManager.x → getWebSocketManager().x). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws003 */
export const websocketManager = countedExport('UWS003', implementation.websocketManager);
