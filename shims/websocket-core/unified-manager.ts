// Generated from src/manifest/builtin.ts (UWS001) by `npm run generate`: do not edit.
// The "unified" manager class, under its old name.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS001');

export {
  /** @deprecated UWS001: use import { WebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws001 */
  WebSocketManager as UnifiedWebSocketManager,
} from '../../src/index';
