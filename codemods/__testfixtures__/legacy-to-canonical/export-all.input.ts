export * from 'unified-ws/websocket-core/websocket-manager';
export * from 'unified-ws/websocket-core/unified-manager';
