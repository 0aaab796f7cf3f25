import { FrameHistory } from '../../src/scale/frame-history';

const frames = (history: FrameHistory) =>
  Array.from({ length: history.size }, (_, i) => history.frameAt(i));

describe('FrameHistory', () => {
  it('keeps the newest frames up to the entry bound, in order, through growth and wrap-around', () => {
    const history = new FrameHistory(40, 1 << 20);
    for (let i = 0; i < 1000; i++) history.push(`{"n":${i},"text":"é${'x'.repeat(i % 50)}"}`, i);
    expect(history.size).toBe(40);
    expect(frames(history)).toEqual(
      Array.from(
        { length: 40 },
        (_, k) => `{"n":${960 + k},"text":"é${'x'.repeat((960 + k) % 50)}"}`,
      ),
    );
    expect(history.oldestTime()).toBe(960);
    expect(history.bytesAt(0)).toBe(Buffer.byteLength(history.frameAt(0)));
  });

  it('keeps within the byte bound, always keeping the newest frame, even one larger than the bound', () => {
    const history = new FrameHistory(1000, 1000);
    for (let i = 0; i < 100; i++) history.push('y'.repeat(100), i);
    expect(history.size).toBe(10);
    history.push('z'.repeat(40_000), 100);
    expect(history.size).toBe(1);
    expect(history.frameAt(0)).toBe('z'.repeat(40_000));
  });

  it('empties on shift and reuses its memory', () => {
    const history = new FrameHistory(8, 1 << 20);
    for (let i = 0; i < 5; i++) history.push(`f${i}`, i);
    for (let i = 0; i < 5; i++) history.shift();
    expect(history.size).toBe(0);
    expect(history.oldestTime()).toBeUndefined();
    history.push('again', 9);
    expect(frames(history)).toEqual(['again']);
  });
});
