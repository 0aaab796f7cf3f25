import { startManager, TestSocket, useCleanup } from '../helpers';

/** `connect` comes after the welcome: what its listener sends reaches the new connection, after it. */
describe("the manager's connect and disconnect events", () => {
  const defer = useCleanup();

  it('a send from a connect listener reaches the connection after its welcome, for the first and later users', async () => {
    const { manager, url } = await startManager(defer, { heartbeatIntervalMs: 0 });
    const online = new Set<string>();
    manager.on('connect', ({ userId }) => {
      online.add(userId);
      // Announce to every user online, the new one included (as a presence list would).
      for (const user of online) void manager.forUser(user).send('user_connected', { userId });
    });
    const alice = await TestSocket.open(url, 'dev:alice');
    defer(() => alice.ws.terminate());
    await alice.waitFor((frame) => frame.type === 'user_connected');
    const bob = await TestSocket.open(url, 'dev:bob');
    defer(() => bob.ws.terminate());
    await bob.waitFor((frame) => frame.type === 'user_connected');
    await alice.waitForCount((frame) => frame.type === 'user_connected', 2);
    for (const socket of [alice, bob]) {
      expect(socket.frames[0]?.type).toBe('welcome');
      const welcome = socket.frames[0] as { seq: number };
      // Every announcement lies after the head the welcome gave: none is counted as seen.
      for (const frame of socket.stream()) expect(frame.seq).toBeGreaterThan(welcome.seq);
    }
    expect(bob.stream().map((frame) => frame.payload)).toEqual([{ userId: 'bob' }]);
    expect(alice.stream().map((frame) => frame.payload)).toEqual([
      { userId: 'alice' },
      { userId: 'bob' },
    ]);
  });

  it('emits disconnect only for connections that had their connect', async () => {
    const { manager, url } = await startManager(defer, { heartbeatIntervalMs: 0 });
    const events: string[] = [];
    manager.on('connect', ({ userId }) => events.push(`connect ${userId}`));
    manager.on('disconnect', ({ userId }) => events.push(`disconnect ${userId}`));
    const alice = await TestSocket.open(url, 'dev:alice');
    alice.ws.close();
    await alice.closed;
    while (events.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toEqual(['connect alice', 'disconnect alice']);
  });
});
