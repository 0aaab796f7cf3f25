// Generated from src/migration/manifest.ts (UWS016) by `npm run generate`: do not edit.
// The services copy of the handler-table router.
import { reportModuleUse } from '../../../src/deprecation/index';

reportModuleUse('UWS016');

export {
  /** @deprecated UWS016: use manager.router.on(type, (payload, { userId, message }) => …). Run the legacy-to-canonical codemod; see docs/deprecations.md#uws016 */
  MessageRouter,
} from '../../../src/legacy/index';
