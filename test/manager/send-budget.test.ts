import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../../src/protocol/codes';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import { delay, startManager, TestSocket, useCleanup } from '../helpers';

const tcp = (socket: TestSocket): Socket => (socket.ws as unknown as { _socket: Socket })._socket;
const tick = () => new Promise((resolve) => setImmediate(resolve));

const BUDGET = 512 * 1024;
const HIGH_WATER = 128 * 1024;
const CHUNK = 'x'.repeat(32 * 1024);
/** History far larger than loopback socket buffers, so a replay to a paused reader stalls. */
const HISTORY = 2000;
/** An envelope of one CHUNK, with room for its other fields. */
const FRAME_MAX = CHUNK.length + 1024;

/**
 * One budget covers everything a connection keeps for its client: in flight, queued, and the live
 * envelopes held while a resume's replay waits for a reader that stopped reading.
 */
describe('send budget: held and replayed frames', () => {
  const defer = useCleanup();

  async function withHistory() {
    const started = await startManager(defer, {
      sendBudgetBytes: BUDGET,
      sendHighWaterMark: HIGH_WATER,
      slowConsumerGraceMs: 200,
      heartbeatIntervalMs: 0,
      adapter: new MemoryDeliveryAdapter({
        historySize: HISTORY + 4000,
        historyBytes: 256 * 1024 * 1024,
      }),
    });
    const alice = started.manager.forUser('alice');
    let epoch = '';
    for (let i = 0; i < HISTORY; i++) epoch = (await alice.send('bulk', { i, CHUNK })).epoch;
    return { ...started, epoch };
  }

  it('closes a reader that stopped during a large resume with 4008 once live traffic passes the budget, and keeps its buffer bounded', async () => {
    const { manager, url, epoch } = await withHistory();
    const bob = await TestSocket.open(url, 'dev:bob');
    const stalled = await TestSocket.open(url, 'dev:alice');
    defer(() => Promise.all([bob.close(), stalled.close()]));
    tcp(stalled).pause();
    stalled.send({ type: 'resume', id: 'r1', payload: { epoch, seq: 0 } });
    while (manager.stats().bufferedBytes < HIGH_WATER) await delay(2);

    let published = 0;
    let peak = 0;
    // Bounded: 4000 × 32 KiB of live traffic is 250 times the budget.
    for (let i = 0; i < 4000 && manager.stats().slowConsumerCloses === 0; i++) {
      await manager.forUser('alice').send('live', { i, CHUNK });
      published++;
      peak = Math.max(peak, manager.stats().bufferedBytes);
      if (i % 8 === 0) await tick();
    }
    expect(manager.stats().slowConsumerCloses).toBe(1);
    // Within the budget, give or take the one frame that passed it; then let go of.
    expect(peak).toBeLessThanOrEqual(BUDGET + FRAME_MAX);
    expect(published).toBeLessThanOrEqual(BUDGET / CHUNK.length);
    expect(manager.stats().bufferedBytes).toBeLessThanOrEqual(BUDGET);
    // Terminated within slowConsumerGraceMs: the reader still does not read.
    while (manager.isConnected('alice')) await delay(5);
    expect(manager.stats().bufferedBytes).toBe(0);
    await manager.forUser('bob').send('still-here', {});
    await bob.waitFor((frame) => frame.type === 'still-here');

    tcp(stalled).resume();
    const closed = await stalled.closed;
    expect([CLOSE_CODES.SLOW_CONSUMER, 1006]).toContain(closed.code);
    // The replay never finished: the budget ran out while it waited for the reader.
    expect(stalled.frames.some((frame) => frame.type === 'resumed')).toBe(false);
    expect(stalled.stream().some((frame) => frame.type === 'live')).toBe(false);
  });

  it('lets a paced replay to a reader that stopped wait without going over the budget, then finishes it', async () => {
    const { manager, url, epoch } = await withHistory();
    const stalled = await TestSocket.open(url, 'dev:alice');
    defer(() => stalled.close());
    tcp(stalled).pause();
    stalled.send({ type: 'resume', id: 'r1', payload: { epoch, seq: 0 } });
    while (manager.stats().bufferedBytes < HIGH_WATER) await delay(2);
    await delay(300);
    // Only what the pacing lets out: the replay's frames are not kept here.
    expect(manager.stats().bufferedBytes).toBeLessThan(BUDGET);
    expect(manager.stats().slowConsumerCloses).toBe(0);
    await manager.forUser('alice').send('live', { after: true });

    tcp(stalled).resume();
    expect(await stalled.waitFor((frame) => frame.type === 'resumed', 20_000)).toMatchObject({
      recovered: true,
      replayed: HISTORY,
    });
    await stalled.waitFor((frame) => frame.type === 'live');
    expect(stalled.stream().map((frame) => frame.seq)).toEqual(
      Array.from({ length: HISTORY + 1 }, (_, k) => k + 1),
    );
    expect(manager.isConnected('alice')).toBe(true);
  });

  it('counts envelopes held before the welcome against the budget too', async () => {
    // Subscribed (envelopes arrive) but the subscription never settles: the welcome waits, and
    // every live envelope is held for it.
    class SlowToSettleAdapter extends MemoryDeliveryAdapter {
      override subscribe(userId: string): Promise<void> {
        super.subscribe(userId);
        return new Promise<void>(() => undefined);
      }
    }
    const { manager, url } = await startManager(defer, {
      sendBudgetBytes: BUDGET,
      sendHighWaterMark: HIGH_WATER,
      slowConsumerGraceMs: 200,
      adapter: new SlowToSettleAdapter(),
    });
    const ws = new WebSocket(url, { headers: { Authorization: 'Bearer dev:alice' } });
    ws.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    defer(() => ws.terminate());
    while (!manager.isConnected('alice')) await delay(2);
    let peak = 0;
    for (let i = 0; i < 100 && manager.stats().slowConsumerCloses === 0; i++) {
      await manager.forUser('alice').send('live', { i, CHUNK });
      peak = Math.max(peak, manager.stats().bufferedBytes);
    }
    expect(manager.stats().slowConsumerCloses).toBe(1);
    expect(peak).toBeLessThanOrEqual(BUDGET);
    expect(manager.stats().bufferedBytes).toBe(0);
    expect(await closed).toBe(CLOSE_CODES.SLOW_CONSUMER);
  });
});
