import { ChunkSlab, type ChunkAllocator, type ChunkPlace } from '../../src/scale/chunk-slab';
import { CHUNK_BYTES, FrameHistory } from '../../src/scale/frame-history';

const HEADER = 12; // each entry's length and time, in its chunk

const frames = (history: FrameHistory, start = 0) => {
  const out: string[] = [];
  history.forEach(start, (frame) => out.push(frame));
  return out;
};

/** An allocator on a private slab that records every chunk asked of it. */
function recordingSlab(): {
  allocate: ChunkAllocator;
  sizes: number[];
  shortLived: boolean[];
  places: ChunkPlace[];
} {
  const slab = new ChunkSlab();
  const sizes: number[] = [];
  const shortLived: boolean[] = [];
  const places: ChunkPlace[] = [];
  return {
    sizes,
    shortLived,
    places,
    allocate: (size, short) => {
      sizes.push(size);
      shortLived.push(short);
      const place = slab.allocate(size, short);
      places.push(place);
      return place;
    },
  };
}

/** What a history must hold at least: its frames and their headers. */
const floor = (history: FrameHistory) => history.bytes + HEADER * history.size;

describe('FrameHistory', () => {
  it('keeps the newest frames up to the entry bound, in order, through chunk growth and turnover', () => {
    const history = new FrameHistory({ maxEntries: 40, maxBytes: 1 << 20 });
    const frame = (i: number) => `{"n":${i},"text":"é${'x'.repeat(i % 50)}"}`;
    for (let i = 0; i < 1000; i++) history.push(frame(i), i);
    expect(history.size).toBe(40);
    expect(frames(history)).toEqual(Array.from({ length: 40 }, (_, k) => frame(960 + k)));
    expect(history.oldestTime()).toBe(960);
    const bytes: number[] = [];
    history.forEach(0, (f, b, index) => {
      expect(b).toBe(Buffer.byteLength(f));
      expect(index).toBe(bytes.length);
      bytes.push(b);
    });
    expect(history.bytes).toBe(bytes.reduce((a, b) => a + b, 0));
  });

  it('visits from any index, across chunk boundaries', () => {
    const history = new FrameHistory({ maxEntries: 300, maxBytes: 1 << 20 });
    const all = Array.from({ length: 300 }, (_, i) => `frame ${i} ${'y'.repeat(i)}`);
    all.forEach((f, i) => history.push(f, i));
    for (const start of [0, 1, 3, 4, 5, 150, 299, 300])
      expect(frames(history, start)).toEqual(all.slice(start));
  });

  it('keeps within the byte bound, always keeping the newest frame, even one larger than the bound', () => {
    const history = new FrameHistory({ maxEntries: 1000, maxBytes: 1000 });
    for (let i = 0; i < 100; i++) history.push('y'.repeat(100), i);
    expect(history.size).toBe(10);
    expect(history.bytes).toBe(1000);
    history.push('z'.repeat(40_000), 100);
    expect(history.size).toBe(1);
    expect(frames(history)).toEqual(['z'.repeat(40_000)]);
    expect(history.oldestTime()).toBe(100);
  });

  it('stores frames larger than a chunk whole, among small ones', () => {
    const history = new FrameHistory({ maxEntries: 100, maxBytes: 1 << 20 });
    const big = (c: string) => c.repeat(CHUNK_BYTES * 2 + 7);
    const pushed = ['a', big('b'), 'c', 'd', big('€'), 'e'];
    pushed.forEach((f, i) => history.push(f, i));
    expect(frames(history)).toEqual(pushed);
    for (let i = 0; i < 2; i++) history.shift();
    expect(frames(history)).toEqual(pushed.slice(2));
    expect(history.oldestTime()).toBe(2);
  });

  it('round-trips multi-byte UTF-8 and counts its bytes, with the length given or not', () => {
    const history = new FrameHistory({ maxEntries: 10, maxBytes: 1 << 20 });
    const texts = ['é', '日本語のテキスト', '🙂👍🏽 emoji', 'mixed ascii and ü', '\u0000nul'];
    for (const [i, text] of texts.entries()) {
      const frame = JSON.stringify({ text });
      if (i % 2 === 0) history.push(frame, i);
      else history.push(frame, i, Buffer.byteLength(frame));
    }
    expect(frames(history).map((f) => (JSON.parse(f) as { text: string }).text)).toEqual(texts);
    expect(history.bytes).toBe(
      texts.reduce((n, text) => n + Buffer.byteLength(JSON.stringify({ text })), 0),
    );
  });

  it('drops the oldest on shift, and an emptied history holds no chunk', () => {
    const history = new FrameHistory({ maxEntries: 8, maxBytes: 1 << 20 });
    expect(history.retainedBytes).toBe(0);
    for (let i = 0; i < 5; i++) history.push(`f${i}`, i);
    history.shift();
    expect(frames(history)).toEqual(['f1', 'f2', 'f3', 'f4']);
    expect(history.oldestTime()).toBe(1);
    for (let i = 0; i < 4; i++) history.shift();
    history.shift(); // on an empty history: nothing
    expect(history.size).toBe(0);
    expect(history.bytes).toBe(0);
    expect(history.retainedBytes).toBe(0);
    expect(history.oldestTime()).toBeUndefined();
    expect(frames(history)).toEqual([]);
    history.push('again', 9);
    expect(frames(history)).toEqual(['again']);
  });

  it('keeps one frame with an entry bound of 1, writing into the same chunk while frames fit', () => {
    const { allocate, sizes } = recordingSlab();
    const history = new FrameHistory({ maxEntries: 1, maxBytes: 1 << 20, allocate });
    for (let i = 0; i < 50; i++) history.push(`only ${i % 10}`, i);
    expect(frames(history)).toEqual(['only 9']);
    expect(history.oldestTime()).toBe(49);
    expect(sizes).toEqual([Buffer.byteLength('only 0') + HEADER]);
    history.push('a longer frame', 50); // does not fit: a new chunk replaces the first
    expect(frames(history)).toEqual(['a longer frame']);
    expect(sizes).toHaveLength(2);
    expect(history.retainedBytes).toBe(sizes[1]);
    for (let i = 0; i < 50; i++) history.push(`frame ${i % 10}`, 51 + i);
    expect(frames(history)).toEqual(['frame 9']);
    expect(sizes).toHaveLength(2);
  });

  it('takes its chunks outside the shared slab once it evicts frames (a busy user)', () => {
    const { allocate, shortLived, places } = recordingSlab();
    const history = new FrameHistory({ maxEntries: 3, maxBytes: 1 << 20, allocate });
    for (let i = 0; i < 200; i++) history.push(`frame ${i}`, i);
    expect(frames(history)).toEqual(['frame 197', 'frame 198', 'frame 199']);
    const first = shortLived.indexOf(true);
    // The first chunks, while nothing was evicted, share the slab; after that none does.
    expect(first).toBeGreaterThan(0);
    expect(shortLived.slice(first).every(Boolean)).toBe(true);
    const slabBuffer = places[0]?.buffer;
    expect(places.slice(first).some((place) => place.buffer === slabBuffer)).toBe(false);
    // Few chunks while it turns over, not one every few frames; and it keeps at most two.
    expect(places.length).toBeLessThan(15);
    expect(history.retainedBytes).toBeLessThanOrEqual(2 * 2048);

    for (let i = 0; i < 3; i++) history.shift(); // every frame expired: a fresh start
    expect(history.retainedBytes).toBe(0);
    history.push('new', 300);
    expect(shortLived[shortLived.length - 1]).toBe(false);
  });

  it('accounts its memory: nothing before the first frame, a small frame costs about itself, chunks grow to the chunk size', () => {
    const { allocate, sizes } = recordingSlab();
    const history = new FrameHistory({ maxEntries: 10_000, maxBytes: 1 << 30, allocate });
    expect(history.retainedBytes).toBe(0);
    expect(sizes).toEqual([]);

    const frame = 'x'.repeat(200);
    history.push(frame, 0);
    expect(history.retainedBytes).toBe(200 + HEADER);
    expect(sizes).toEqual([200 + HEADER]);

    let total = 1;
    for (; total < 2000; total++) {
      history.push(frame, total);
      // Never less than the frames and headers, never more than twice that plus the chunk being
      // filled: the room left in chunks stays proportional to the content.
      expect(history.retainedBytes).toBeGreaterThanOrEqual(floor(history));
      expect(history.retainedBytes).toBeLessThanOrEqual(2 * floor(history) + CHUNK_BYTES);
    }
    expect(history.retainedBytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(Math.max(...sizes)).toBe(CHUNK_BYTES);
    expect(sizes.filter((size) => size === CHUNK_BYTES).length).toBeGreaterThan(20);
  });

  it('gives back chunks as their frames go, by count and by bytes', () => {
    const byCount = new FrameHistory({ maxEntries: 100, maxBytes: 1 << 30 });
    const byBytes = new FrameHistory({ maxEntries: 1 << 20, maxBytes: 20_000 });
    const frame = 'z'.repeat(500);
    for (let i = 0; i < 5000; i++) {
      byCount.push(frame, i);
      byBytes.push(frame, i);
    }
    expect(byCount.size).toBe(100);
    expect(byBytes.size).toBe(40);
    for (const history of [byCount, byBytes]) {
      // Bounded by what it holds, not by the 5,000 frames that went through it.
      expect(history.retainedBytes).toBeGreaterThanOrEqual(floor(history));
      expect(history.retainedBytes).toBeLessThanOrEqual(floor(history) + 2 * CHUNK_BYTES);
      expect(frames(history)).toEqual(Array(history.size).fill(frame));
    }
  });

  it('shares a slab between histories without one overwriting another', () => {
    const slab = new ChunkSlab(4096, 1024);
    const histories = Array.from(
      { length: 50 },
      () => new FrameHistory({ maxEntries: 7, maxBytes: 1 << 20, allocate: slab.allocate }),
    );
    const expected = histories.map(() => [] as string[]);
    for (let round = 0; round < 40; round++) {
      for (const [h, history] of histories.entries()) {
        const frame = `${h}:${round}:${'ü'.repeat((h * 7 + round) % 90)}`;
        history.push(frame, round);
        expected[h]?.push(frame);
        if ((h + round) % 5 === 0) (history.shift(), expected[h]?.shift());
      }
    }
    for (const [h, history] of histories.entries())
      expect(frames(history)).toEqual(expected[h]?.slice(-history.size));
  });
});

describe('ChunkSlab', () => {
  it('carves small chunks one after another from one slab, and gives larger or short-lived ones their own buffer', () => {
    const slab = new ChunkSlab(512, 256);
    const a = slab.allocate(100, false);
    const b = slab.allocate(200, false);
    expect(b.buffer).toBe(a.buffer);
    expect(b.start).toBe(a.start + 100);
    const c = slab.allocate(250, false); // 212 bytes left: a new slab
    expect(c.buffer).not.toBe(a.buffer);
    expect(c.start).toBe(0);
    const large = slab.allocate(300, false);
    expect(large.buffer.length).toBe(300);
    expect(large.start).toBe(0);
    const shortLived = slab.allocate(50, true);
    expect(shortLived.buffer.length).toBe(50);
    expect(shortLived.buffer).not.toBe(c.buffer);
    expect(slab.allocate(100, false).buffer).toBe(c.buffer);
  });
});
