// Generated from src/migration/manifest.ts (UWS014) by `npm run generate`: do not edit.
// The handler-table router.
import { reportModuleUse } from '../../src/deprecation/index';

reportModuleUse('UWS014');

export {
  /** @deprecated UWS014: use manager.router.on(type, (payload, { userId, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws014 */
  MessageRouter,
} from '../../src/legacy/index';
