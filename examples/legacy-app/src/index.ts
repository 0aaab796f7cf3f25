export * from 'unified-ws/websocket-core/websocket-manager';
export { startServer, announce, online, current } from './server';
