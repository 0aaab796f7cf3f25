import WebSocket from 'ws';
import type { StreamPosition } from '../../src/protocol/envelope';
import { CLOSE_CODES } from '../../src/protocol/codes';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import { startManager, useCleanup } from '../helpers';

/**
 * A user stream that starts over (a new epoch, as the Redis adapter does after a restart or a
 * rollback) between the live envelopes a connection holds and the position it is welcomed at.
 * The subscription settles when the test says, so envelopes are held meanwhile.
 */
class RestartingStreams extends MemoryDeliveryAdapter {
  restarted = false;
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  override subscribe(userId: string): Promise<void> {
    super.subscribe(userId);
    return this.gate;
  }

  override position(userId: string): StreamPosition {
    return this.restarted ? { epoch: 'started-over', seq: 0 } : super.position(userId);
  }

  settle(): void {
    this.open();
  }
}

describe('a stream epoch that changes while a connection is welcomed', () => {
  const defer = useCleanup();

  async function heldThenAnswered(restart: boolean) {
    const adapter = new RestartingStreams();
    const { manager, url } = await startManager(defer, { adapter, heartbeatIntervalMs: 0 });
    const ws = new WebSocket(url, { headers: { Authorization: 'Bearer dev:alice' } });
    defer(() => ws.terminate());
    const frames: { type: string; seq?: number; epoch?: string; payload?: unknown }[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    while (manager.connectionCount('alice') === 0) await new Promise((r) => setTimeout(r, 5));
    // Delivered to the connection before its welcome: held.
    const first = await manager.forUser('alice').send('note', { n: 1 });
    await manager.forUser('alice').send('note', { n: 2 });
    adapter.restarted = restart;
    adapter.settle();
    return { manager, frames, closed, epoch: first.epoch };
  }

  it('closes with 4009, with neither a welcome nor a held envelope of the old epoch', async () => {
    const { frames, closed, epoch } = await heldThenAnswered(true);
    expect(await closed).toBe(CLOSE_CODES.RESYNC);
    expect(frames.filter((frame) => frame.type === 'welcome')).toEqual([]);
    expect(frames.filter((frame) => frame.epoch === epoch)).toEqual([]);
  });

  it('with the same epoch, sends the held envelopes after the welcome and none before it', async () => {
    const { manager, frames } = await heldThenAnswered(false);
    while (!frames.some((frame) => frame.type === 'welcome'))
      await new Promise((r) => setTimeout(r, 5));
    await manager.forUser('alice').send('note', { n: 3 });
    while (!frames.some((frame) => frame.seq === 3)) await new Promise((r) => setTimeout(r, 5));
    expect(frames.map((frame) => `${frame.type}${frame.seq ?? ''}`)).toEqual(['welcome2', 'note3']);
    expect(manager.connectionCount('alice')).toBe(1);
  });
});
