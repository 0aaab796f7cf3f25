jest.mock('unified-ws');
jest.doMock('unified-ws', () => ({ getWebSocketManager: jest.fn() }));
const actual = jest.requireActual('unified-ws');
const mocked = jest.requireMock('unified-ws');
const auto = jest.createMockFromModule('unified-ws');
jest.unmock('unified-ws');
// unified-ws(UWS004): a mock: its names differ in the canonical module; migrate by hand; see docs/deprecations.md#uws004
jest.mock('unified-ws/websocket-core/websocket-manager-factory', () => ({ createWebSocketManager: jest.fn() }));

export { actual, mocked, auto };
