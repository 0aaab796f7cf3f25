// Generated from src/migration/manifest.ts (UWS015) by `npm run generate`: do not edit.
// The context-passing message router.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS015');

export {
  /** @deprecated UWS015: use manager.router.on(type, (payload, { user, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws015 */
  WebSocketMessageRouter,
} from '../../src/legacy/index';
