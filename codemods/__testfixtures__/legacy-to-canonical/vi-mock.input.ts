import { vi } from 'vitest';

vi.mock('unified-ws/websocket-core/websocket-manager');
vi.doMock('unified-ws/websocket-core/websocket-manager', async () => ({ ...(await vi.importActual('unified-ws/websocket-core/websocket-manager')) }));
