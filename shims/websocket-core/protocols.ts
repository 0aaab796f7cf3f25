// Generated from src/migration/manifest.ts (UWS005) by `npm run generate`: do not edit.
// The manager protocol type and the legacy adapter.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS005');

export type {
  /** @deprecated UWS005: use import { WebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws005 */
  WebSocketManager as WebSocketManagerProtocol,
} from '../../src/index';
export {
  /** @deprecated UWS005: use manager.forUser(userId).send(type, payload), manager.isConnected(userId), manager.connectionCount(userId). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws005 */
  LegacyWebSocketManagerAdapter,
} from '../../src/legacy/index';
