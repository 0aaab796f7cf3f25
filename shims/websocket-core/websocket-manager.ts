// Generated from src/manifest/builtin.ts (UWS002) by `npm run generate`: do not edit.
// The manager module of the compatibility layer.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS002');

export {
  /** @deprecated UWS002: use import { WebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws002 */
  WebSocketManager,
  /** @deprecated UWS002: use import { getWebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws002 */
  getWebSocketManager,
} from '../../src/index';
export type {
  /** @deprecated UWS002: use import { UserContext } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws002 */
  UserContext,
} from '../../src/index';
