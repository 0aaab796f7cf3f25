import type { Socket } from 'node:net';
import { UnifiedWsClient } from '../../src/client/node';
import type { Envelope } from '../../src/protocol/envelope';
import { findOrderViolation } from '../../src/protocol/event-order';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import { delay, startManager, TestSocket, useCleanup } from '../helpers';

const tcp = (socket: TestSocket): Socket => (socket.ws as unknown as { _socket: Socket })._socket;

describe('back-pressure', () => {
  const defer = useCleanup();

  it('closes a slow consumer with 4008 while other users keep flowing; the client resumes what it missed', async () => {
    const { manager, url } = await startManager(defer, {
      sendBudgetBytes: 512 * 1024,
      sendHighWaterMark: 128 * 1024,
      slowConsumerGraceMs: 200,
      adapter: new MemoryDeliveryAdapter({ historySize: 4000, historyBytes: 256 * 1024 * 1024 }),
    });
    const slow = await TestSocket.open(url, 'dev:alice');
    const fast = await TestSocket.open(url, 'dev:bob');
    defer(() => Promise.all([slow.close(), fast.close()]));
    const { epoch } = slow.frames[0] as { epoch: string };
    tcp(slow).pause();

    const chunk = 'x'.repeat(32 * 1024);
    let sentToAlice = 0;
    let sentToBob = 0;
    // Bounded: 4000 × 32 KiB is far beyond any loopback socket buffer.
    for (let i = 0; i < 4000 && manager.isConnected('alice'); i++) {
      await manager.forUser('alice').send('bulk', { i, chunk });
      sentToAlice++;
      if (i % 4 === 0) {
        await manager.forUser('bob').send('tick', { i });
        sentToBob++;
      }
      if (i % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(manager.isConnected('alice')).toBe(false);
    expect(manager.stats().slowConsumerCloses).toBe(1);
    const ticks = await fast.waitForCount((f) => f.type === 'tick', sentToBob, 10_000);
    expect(ticks.map((f) => f.seq)).toEqual(Array.from({ length: sentToBob }, (_, k) => k + 1));
    expect(manager.isConnected('bob')).toBe(true);

    tcp(slow).resume();
    const closed = await slow.closed;
    expect([4008, 1006]).toContain(closed.code);
    const seen = slow.stream().map((f) => f.seq as number);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, k) => k + 1));
    expect(seen.length).toBeLessThan(sentToAlice);

    const again = await TestSocket.open(url, 'dev:alice');
    defer(() => again.close());
    again.send({ type: 'resume', payload: { epoch, seq: seen.length } });
    expect(await again.waitFor((f) => f.type === 'resumed', 10_000)).toMatchObject({
      recovered: true,
      replayed: sentToAlice - seen.length,
    });
    expect(again.stream().map((f) => f.seq)).toEqual(
      Array.from({ length: sentToAlice - seen.length }, (_, k) => seen.length + k + 1),
    );
  });

  it('coalesces agent_thinking for a consumer that is behind, and drops no other event', async () => {
    const { manager, url } = await startManager(defer, { sendHighWaterMark: 64 });
    const client = new UnifiedWsClient({ url, token: 'dev:alice', reconnect: false });
    defer(() => client.close());
    const received: Envelope[] = [];
    client.on('envelope', (envelope) => received.push(envelope));
    await client.connect();

    const run = manager.forUser('alice').agentRun();
    // All in one tick: no send callback can run in between, so frames queue past the mark.
    void run.start();
    for (let i = 0; i < 50; i++) void run.thinking(`thought ${i}`);
    void run.toolExecuting('t', {}, 'call-1');
    void run.toolCompleted('call-1', 1);
    for (let i = 50; i < 60; i++) void run.thinking(`thought ${i}`);
    void run.complete();
    while (received.at(-1)?.type !== 'agent_completed') await delay(2);

    expect(manager.stats().coalesced).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(64);
    expect(findOrderViolation(received)).toBeUndefined();
    const types = received.map((e) => e.type);
    expect(types.filter((t) => t !== 'agent_thinking')).toEqual([
      'agent_started',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
    const thoughts = received
      .filter((e) => e.type === 'agent_thinking')
      .map((e) => (e.payload as { text: string }).text);
    expect(thoughts).toContain('thought 49');
    expect(thoughts.at(-1)).toBe('thought 59');
    const seqs = received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});

describe('heartbeat', () => {
  const defer = useCleanup();

  it('terminates a client that stops answering pings, and keeps one that answers', async () => {
    const { manager, url } = await startManager(defer, { heartbeatIntervalMs: 40 });
    const silent = await TestSocket.open(url, 'dev:silent', { autoPong: false });
    const healthy = await TestSocket.open(url, 'dev:healthy');
    defer(() => Promise.all([silent.close(), healthy.close()]));
    expect((await silent.closed).code).toBe(1006);
    await delay(200);
    expect(manager.isConnected('silent')).toBe(false);
    expect(manager.isConnected('healthy')).toBe(true);
    expect(manager.stats().heartbeatTimeouts).toBe(1);
  });
});
