import { vi } from 'vitest';

vi.mock('unified-ws');
vi.doMock('unified-ws', async () => ({ ...(await vi.importActual('unified-ws')) }));
