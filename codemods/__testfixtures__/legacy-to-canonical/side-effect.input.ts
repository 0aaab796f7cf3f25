import 'unified-ws/websocket-core/websocket-manager';
import './local-setup';
