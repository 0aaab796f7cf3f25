export * from 'unified-ws/websocket-core/websocket-manager-factory';
