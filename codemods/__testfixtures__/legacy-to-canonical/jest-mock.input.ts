jest.mock('unified-ws/websocket-core/websocket-manager');
jest.doMock('unified-ws/websocket-core/websocket-manager', () => ({ getWebSocketManager: jest.fn() }));
const actual = jest.requireActual('unified-ws/websocket-core/websocket-manager');
const mocked = jest.requireMock('unified-ws/websocket-core/websocket-manager');
const auto = jest.createMockFromModule('unified-ws/websocket-core/websocket-manager');
jest.unmock('unified-ws/websocket-core/websocket-manager');
jest.mock('unified-ws/websocket-core/websocket-manager-factory', () => ({ createWebSocketManager: jest.fn() }));

export { actual, mocked, auto };
