type Legacy = typeof import('unified-ws');
type Manager = import('unified-ws').WebSocketManager;
// unified-ws(UWS005): import(unified-ws/websocket-core/protocols).LegacyWebSocketManagerAdapter has no canonical equal;…; see docs/deprecations.md#uws005
type Adapter = import('unified-ws/websocket-core/protocols').LegacyWebSocketManagerAdapter;

export type { Legacy, Manager, Adapter };
