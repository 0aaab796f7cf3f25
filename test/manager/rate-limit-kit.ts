import type { RateLimit } from '../../src/manager/rate-limiter';
import { MessageRouter } from '../../src/router/message-router';
import { startManager, TestSocket, type Frame } from '../helpers';

type Closer = Parameters<typeof startManager>[0];

export const isLimited = (frame: Frame) => frame.type === 'error' && frame.code === 'RATE_LIMITED';

/** A manager with `rateLimit` whose router answers `probe`, and a way to open sockets on it. */
export async function probedManager(defer: Closer, rateLimit: RateLimit) {
  const router = new MessageRouter();
  router.on('probe', () => 'probed');
  const started = await startManager(defer, { router, rateLimit });
  const open = async (token: string) => {
    const socket = await TestSocket.open(started.url, token);
    defer(() => socket.close());
    return socket;
  };
  return { ...started, open };
}
