import { WebSocketManager as UWM } from 'unified-ws';

let m: UWM | undefined;
