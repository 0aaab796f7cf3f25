// Generated from src/manifest/builtin.ts (UWS005) by `npm run generate`: do not edit.
// The manager protocol type and the legacy adapter.
import { reportModuleUse } from '../../src/deprecation/index';
import { countedExport } from '../../src/legacy/counted';
import * as implementation from '../../src/legacy/index';

reportModuleUse('UWS005');

export type {
  /** @deprecated UWS005: use import { WebSocketManager } from 'unified-ws'. Run the legacy-to-canonical codemod; see docs/deprecations.md#uws005 */
  WebSocketManager as WebSocketManagerProtocol,
} from '../../src/index';
/** @deprecated UWS005: use manager.forUser(userId).send(type, payload), manager.isConnected(userId), manager.connectionCount(userId). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws005 */
export const LegacyWebSocketManagerAdapter = countedExport('UWS005', implementation.LegacyWebSocketManagerAdapter);
/** @deprecated UWS005: use manager.forUser(userId).send(type, payload), manager.isConnected(userId), manager.connectionCount(userId). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws005 */
export type LegacyWebSocketManagerAdapter = implementation.LegacyWebSocketManagerAdapter;
