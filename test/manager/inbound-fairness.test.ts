import type { Socket } from 'node:net';
import { MessageRouter } from '../../src/router/message-router';
import { delay, startManager, TestSocket, useCleanup } from '../helpers';

const tcp = (socket: TestSocket): Socket => (socket.ws as unknown as { _socket: Socket })._socket;

/** Keeps the event loop busy for `ms`, as a costly handler does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('inbound messages: one connection cannot hold the others back', () => {
  const defer = useCleanup();

  it('handles another user’s request in the middle of a burst that arrived in one read', async () => {
    const handled: string[] = [];
    const router = new MessageRouter();
    router.on('costly', (payload: { n: number }) => {
      busy(4);
      handled.push(`costly${payload.n}`);
      return true;
    });
    router.on('quick', () => {
      handled.push('quick');
      return true;
    });
    const { url } = await startManager(defer, { router });
    const flooder = await TestSocket.open(url, 'dev:flooder');
    const other = await TestSocket.open(url, 'dev:other');
    defer(() => Promise.all([flooder.close(), other.close()]));
    // Fifty requests in one write: they reach the server in one read.
    tcp(flooder).cork();
    for (let n = 0; n < 50; n++) flooder.send({ type: 'costly', id: `c${n}`, payload: { n } });
    tcp(flooder).uncork();
    while (handled.length === 0) await delay(1);
    other.send({ type: 'quick', id: 'q' });
    await other.waitFor((frame) => frame.type === 'ack' && frame.id === 'q');
    await flooder.waitForCount((frame) => frame.type === 'ack', 50);
    // About 200 ms of work for the burst; the quick request waited for a few of them, not all.
    const at = handled.indexOf('quick');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(25);
  });

  it('does not handle messages read once the server has started to close the connection', async () => {
    let handled = 0;
    const router = new MessageRouter();
    router.on('count', () => ++handled);
    const { manager, url } = await startManager(defer, { router });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    // The client does not read the close frame yet, so it goes on sending.
    tcp(socket).pause();
    expect(manager.disconnect('alice')).toBe(1);
    const before = manager.stats().messagesIn;
    for (let i = 0; i < 5; i++) socket.send({ type: 'count', id: `n${i}` });
    while (manager.stats().messagesIn < before + 5) await delay(2);
    await delay(20);
    expect(handled).toBe(0);
    tcp(socket).resume();
    expect((await socket.closed).code).toBe(1000);
  });
});
