// unified-ws(UWS004): export * includes names without a canonical equal; list them by hand; see docs/deprecations.md#uws004
export * from 'unified-ws/websocket-core/websocket-manager-factory';
