import type { OutboundMessage } from '../../src/protocol/envelope';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import type { StoredEnvelope } from '../../src/scale/delivery-adapter';

const HEADER = 12; // each entry's length and time, in its chunk
const tick = (n: number, text = ''): OutboundMessage => ({ type: 'tick', payload: { n, text } });

describe('MemoryDeliveryAdapter history', () => {
  let adapter: MemoryDeliveryAdapter;
  afterEach(() => adapter.close());

  it('replays exactly the envelopes after a position, across many chunks of the history', async () => {
    adapter = new MemoryDeliveryAdapter({ historySize: 500 });
    adapter.start(() => undefined);
    const published: StoredEnvelope[] = [];
    for (let n = 0; n < 400; n++)
      published.push(adapter.publish('u1', tick(n, 'é'.repeat(n % 300))) as StoredEnvelope);
    const { epoch } = adapter.position('u1') as { epoch: string };
    for (const from of [0, 1, 199, 398, 400]) {
      const result = adapter.replay('u1', { epoch, seq: from });
      expect(result.recovered).toBe(true);
      if (!result.recovered) continue;
      expect(result.frames).toEqual(
        published.slice(from).map((s) => ({ seq: s.envelope.seq, frame: s.frame, bytes: s.bytes })),
      );
    }
  });

  it('reports what its histories hold, and nothing once they expired', async () => {
    adapter = new MemoryDeliveryAdapter({ historyTtlMs: 60_000 });
    adapter.start(() => undefined);
    expect(adapter.historyMemory()).toEqual({
      streams: 0,
      frames: 0,
      frameBytes: 0,
      retainedBytes: 0,
    });

    adapter.subscribe('idle'); // connected, never sent to: a stream, but no chunk
    let frameBytes = 0;
    let frames = 0;
    for (let u = 0; u < 30; u++)
      for (let k = 0; k <= u % 3; k++, frames++)
        frameBytes += (adapter.publish(`user${u}`, tick(k, 'x'.repeat(150))) as StoredEnvelope)
          .bytes;
    const memory = adapter.historyMemory();
    expect(memory).toMatchObject({ streams: 31, frames, frameBytes });
    expect(memory.retainedBytes).toBeGreaterThanOrEqual(frameBytes + HEADER * frames);
    expect(memory.retainedBytes).toBeLessThanOrEqual(2 * (frameBytes + HEADER * frames));

    adapter.sweep(Date.now() + 60_001);
    // Unsubscribed streams with nothing to replay are gone; the subscribed one stays, empty.
    expect(adapter.historyMemory()).toEqual({
      streams: 1,
      frames: 0,
      frameBytes: 0,
      retainedBytes: 0,
    });
  });

  it('drops expired envelopes by TTL, so a replay past them is not recovered', async () => {
    adapter = new MemoryDeliveryAdapter({ historyTtlMs: 25 });
    adapter.start(() => undefined);
    adapter.subscribe('u1');
    adapter.publish('u1', tick(1));
    const { epoch } = adapter.position('u1') as { epoch: string };
    await new Promise((resolve) => setTimeout(resolve, 40));
    const second = adapter.publish('u1', tick(2)) as StoredEnvelope; // expires the first
    expect(adapter.historyMemory()).toMatchObject({ frames: 1, frameBytes: second.bytes });
    expect(adapter.replay('u1', { epoch, seq: 0 }).recovered).toBe(false);
    const fromOne = adapter.replay('u1', { epoch, seq: 1 });
    expect(fromOne.recovered && fromOne.frames.map((f) => f.frame)).toEqual([second.frame]);
  });
});
