import { CLOSE_CODES } from '../../src/protocol/codes';
import { RateLimiter, type RateLimit } from '../../src/manager/rate-limiter';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { delay, useCleanup } from '../helpers';
import { isLimited, probedManager } from './rate-limit-kit';

describe('rate limit: coalesced RATE_LIMITED and closing a flooder (issue 13)', () => {
  const defer = useCleanup();

  const setup = (rateLimit: RateLimit) => probedManager(defer, rateLimit);

  it('answers a burst over the limit with one RATE_LIMITED per window that counts the drops', async () => {
    const { manager, open } = await setup({
      messages: 5,
      intervalMs: 60_000,
      abuseFactor: 100,
    });
    const socket = await open('dev:flood');
    for (let i = 0; i < 50; i++) socket.send({ type: 'probe', id: `p${i}` });
    socket.send({ type: 'probe', id: 'last' });
    await socket.waitForCount((f) => f.type === 'ack', 5);
    await socket.waitFor(isLimited);
    // Every message was read by the server before we look (stats count each drop).
    const deadline = Date.now() + 5000;
    while (manager.stats().rateLimited < 46 && Date.now() < deadline) await delay(5);
    expect(manager.stats().rateLimited).toBe(46);
    const limited = socket.frames.filter(isLimited);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ dropped: 1 });
    expect(limited[0]?.retryAfterMs).toEqual(expect.any(Number));
    expect(socket.ws.readyState).toBe(1);
  });

  it('closes a flooder with 4010 while another user keeps getting acks', async () => {
    const { open } = await setup({ messages: 20, intervalMs: 1000 });
    const polite = await open('dev:polite');
    const flooder = await open('dev:flooder');
    // Default abuseFactor 10: more than 200 drops in one window closes it.
    for (let i = 0; i < 2000 && flooder.ws.readyState === 1; i++)
      flooder.send({ type: 'probe', id: `f${i}` });
    for (let i = 0; i < 5; i++) polite.send({ type: 'probe', id: `ok${i}` });
    const closed = await flooder.closed;
    expect(closed).toEqual({ code: CLOSE_CODES.RATE_LIMIT_ABUSE, reason: 'rate limit abuse' });
    expect(CLOSE_CODES.RATE_LIMIT_ABUSE).toBe(4010);
    expect(flooder.frames.filter(isLimited).length).toBeLessThanOrEqual(1);
    const acks = await polite.waitForCount((f) => f.type === 'ack', 5);
    expect(acks.map((f) => f.id)).toEqual(['ok0', 'ok1', 'ok2', 'ok3', 'ok4']);
    expect(polite.frames.filter(isLimited)).toHaveLength(0);
    expect(polite.ws.readyState).toBe(1);
  });

  it('closes a connection over the limit in abuseWindows consecutive windows', async () => {
    const { open } = await setup({
      messages: 2,
      intervalMs: 100,
      abuseFactor: Infinity,
      abuseWindows: 3,
    });
    const socket = await open('dev:steady');
    let sent = 0;
    while (socket.ws.readyState === 1 && sent < 500) {
      for (let i = 0; i < 4; i++) socket.send({ type: 'probe', id: `s${sent++}` });
      await delay(40);
    }
    expect((await socket.closed).code).toBe(4010);
    // One frame per window, and the third window closes instead of answering.
    const limited = socket.frames.filter(isLimited);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited.length).toBeLessThanOrEqual(2);
  });
});

describe('RateLimiter', () => {
  it('reports only the first drop of a window, then the drops it left unanswered', () => {
    let now = 0;
    const spy = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const limiter = new RateLimiter({ messages: 2, intervalMs: 1000, abuseFactor: 100 });
      expect([limiter.check(), limiter.check()].map((v) => v.kind)).toEqual(['admit', 'admit']);
      expect(limiter.check()).toEqual({
        kind: 'drop',
        report: { dropped: 1, retryAfterMs: 500 },
      });
      expect(limiter.check()).toEqual({ kind: 'drop' });
      expect(limiter.check()).toEqual({ kind: 'drop' });
      now = 1000;
      expect(limiter.check().kind).toBe('admit');
      expect(limiter.check().kind).toBe('admit');
      expect(limiter.check()).toEqual({
        kind: 'drop',
        report: { dropped: 3, retryAfterMs: 500 },
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('answers abuse once past abuseFactor × messages drops in a window, then drops silently', () => {
    let now = 0;
    const spy = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const limiter = new RateLimiter({ messages: 1, intervalMs: 1000, abuseFactor: 3 });
      const kinds = Array.from({ length: 7 }, () => limiter.check().kind);
      expect(kinds).toEqual(['admit', 'drop', 'drop', 'drop', 'abuse', 'drop', 'drop']);
      now = 10_000;
      expect(limiter.check().kind).toBe('drop');
    } finally {
      spy.mockRestore();
    }
  });

  it.each([0, -1, Number.NaN])('refuses rateLimit.abuseFactor %p and abuseWindows %p', (value) => {
    for (const key of ['abuseFactor', 'abuseWindows'])
      expect(
        () =>
          new WebSocketManager({
            authenticate: () => null,
            register: false,
            rateLimit: { messages: 5, intervalMs: 1000, [key]: value },
          }),
      ).toThrow(expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }));
  });
});
