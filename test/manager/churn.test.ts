import { startManager, TestSocket, useCleanup } from '../helpers';

describe('connection churn', () => {
  const defer = useCleanup();

  it('returns registry, stream and listener counts to zero after 2,000 connect/disconnect cycles', async () => {
    const { manager, url } = await startManager(defer);
    const server = (manager as unknown as { server: import('node:http').Server }).server;
    const upgradeListeners = server.listenerCount('upgrade');
    const connects: string[] = [];
    const disconnects: string[] = [];
    manager.on('connect', (info) => connects.push(info.connectionId));
    manager.on('disconnect', (info) => disconnects.push(info.connectionId));

    const batch = 50;
    for (let cycle = 0; cycle < 2000; cycle += batch) {
      const sockets = await Promise.all(
        Array.from({ length: batch }, (_, i) =>
          TestSocket.open(url, `dev:user${(cycle + i) % 120}`),
        ),
      );
      await manager.forUser(`user${cycle % 120}`).send('tick', { cycle });
      // Half close politely, half vanish: both paths must clean the registry exactly once.
      await Promise.all(
        sockets.map((socket, i) =>
          i % 2 === 0 ? socket.close() : (socket.ws.terminate(), socket.closed),
        ),
      );
    }
    while (manager.connectionCount() > 0) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(connects).toHaveLength(2000);
    expect(new Set(disconnects).size).toBe(2000);
    expect(disconnects).toHaveLength(2000);
    expect(manager.stats()).toMatchObject({ connections: 0, users: 0 });
    expect(server.listenerCount('upgrade')).toBe(upgradeListeners);
    const adapter =
      manager.adapter as import('../../src/scale/memory-adapter').MemoryDeliveryAdapter;
    adapter.sweep(Date.now() + 10 * 60_000);
    expect(adapter.streamCount).toBe(0);
    const open = await new Promise<number>((resolve) =>
      server.getConnections((_error, count) => resolve(count)),
    );
    expect(open).toBe(0);
  });
});
