import { UnifiedWebSocketManager as UWM } from 'unified-ws/websocket-core/unified-manager';

let m: UWM | undefined;
