/* eslint-disable */
import {WebSocketManager, WebSocketManager as Legacy} from "unified-ws" // the manager


// two blank lines above stay two

const managers = [ WebSocketManager, Legacy, ]   // odd spacing stays odd
export default managers
