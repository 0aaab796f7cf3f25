jest.mock('unified-ws');
jest.doMock('unified-ws', () => ({ getWebSocketManager: jest.fn() }));
const actual = jest.requireActual('unified-ws');
const mocked = jest.requireMock('unified-ws');
const auto = jest.createMockFromModule('unified-ws');
jest.unmock('unified-ws');
// unified-ws(UWS004): a mock of unified-ws/websocket-core/websocket-manager-factory needs its names mapped by hand (WebSocketManagerFactory → getWebSocketManager().forUser(ctx) for createManager(ctx); getWebSocketManager() for getManager(); createWebSocketManager → getWebSocketManager().forUser(ctx)); left on its shim
jest.mock('unified-ws/websocket-core/websocket-manager-factory', () => ({ createWebSocketManager: jest.fn() }));

export { actual, mocked, auto };
