/* eslint-disable */
import {WebSocketManager} from "unified-ws/websocket-core/websocket-manager" // the manager


// two blank lines above stay two
import { UnifiedWebSocketManager as Legacy, } from "unified-ws/websocket-core/unified-manager"

const managers = [ WebSocketManager, Legacy, ]   // odd spacing stays odd
export default managers
