// Imported for its side effect on types only: nothing else names it.
import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';
