import { CLOSE_CODES } from '../../src/protocol/codes';
import { devAuthenticate } from '../../src/manager/auth';
import { RATE_LIMIT_DEFAULTS, RateLimiter, type RateLimit } from '../../src/manager/rate-limiter';
import { TokenBucket } from '../../src/manager/token-bucket';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { delay, startManager, TestSocket, useCleanup, type Frame } from '../helpers';
import { isLimited, probedManager } from './rate-limit-kit';

/** Each envelope of the history: about 1,000 bytes on the wire. */
const TEXT = 'x'.repeat(900);

describe('rate limit: a resume is charged by the bytes it replays', () => {
  const defer = useCleanup();

  async function setup(rateLimit: RateLimit) {
    const started = await startManager(defer, { rateLimit });
    let epoch = '';
    let bytes = 0;
    // Ten envelopes, about 10 kB: six messages at 2,000 bytes per message.
    for (let i = 0; i < 10; i++) {
      const envelope = await started.manager.forUser('alice').send('note', { i, TEXT });
      epoch = envelope.epoch;
      bytes += Buffer.byteLength(JSON.stringify(envelope));
    }
    const socket = await TestSocket.open(started.url, 'dev:alice');
    defer(() => socket.close());
    /** Sends a resume from seq 0 and waits for what answers it: `resumed`, an error, or nothing. */
    const resume = async (id: string, waitMs = 2000): Promise<Frame | undefined> => {
      const answered = (frame: Frame) => frame.type === 'resumed' || frame.id === id;
      const before = socket.frames.filter(answered).length;
      socket.send({ type: 'resume', id, payload: { epoch, seq: 0 } });
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline && socket.ws.readyState === 1) {
        const answers = socket.frames.filter(answered);
        if (answers.length > before) return answers.at(-1);
        await delay(2);
      }
      return undefined;
    };
    return { ...started, socket, resume, bytes };
  }

  it('answers a resume over the limit with RATE_LIMITED (its id, retryAfterMs) and replays nothing', async () => {
    const { manager, socket, resume, bytes } = await setup({
      messages: 10,
      intervalMs: 60_000,
      resumeBytesPerMessage: 2000,
    });
    expect(Math.ceil(bytes / 2000)).toBe(6);
    // 10 tokens: the first resume costs 6, leaving 4; the second needs 6 again.
    expect(await resume('r1')).toMatchObject({ type: 'resumed', recovered: true, replayed: 10 });
    const refused = await resume('r2');
    expect(refused).toMatchObject({ type: 'error', code: 'RATE_LIMITED', id: 'r2', dropped: 1 });
    // 6 tokens wanted, 3 held after the resume's own message: 3 × 6,000 ms to refill.
    expect(refused?.retryAfterMs).toBeGreaterThan(17_000);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(18_000);
    expect(String(refused?.message)).toContain(`replay ${bytes} bytes`);
    expect(socket.stream()).toHaveLength(10);
    expect(manager.stats().rateLimited).toBe(1);
    // The connection goes on: live traffic still flows.
    await manager.forUser('alice').send('live', {});
    await socket.waitFor((frame) => frame.type === 'live');
    expect(socket.ws.readyState).toBe(1);
  });

  it('with resumeBytesPerMessage Infinity, the same resumes cost one message each', async () => {
    const { manager, resume } = await setup({
      messages: 10,
      intervalMs: 60_000,
      resumeBytesPerMessage: Infinity,
    });
    for (const id of ['r1', 'r2', 'r3'])
      expect(await resume(id)).toMatchObject({ type: 'resumed', replayed: 10 });
    expect(manager.stats().rateLimited).toBe(0);
  });

  it('closes a connection that keeps resuming with 4010, like any flood, after few replays', async () => {
    const { socket, resume } = await setup({
      messages: 10,
      intervalMs: 60_000,
      resumeBytesPerMessage: 2000,
      abuseFactor: 1,
    });
    const answers: (Frame | undefined)[] = [];
    // Bounded: the eleventh drop in the window closes it.
    for (let i = 0; i < 30 && socket.ws.readyState === 1; i++)
      answers.push(await resume(`r${i}`, 100));
    expect((await socket.closed).code).toBe(CLOSE_CODES.RATE_LIMIT_ABUSE);
    expect(answers.filter((frame) => frame?.type === 'resumed')).toHaveLength(1);
    // Each resume read with too few tokens left for its replay was answered with its own id;
    // once the bucket was empty, resumes were dropped unread like any message.
    const refused = answers.flatMap((frame, i) =>
      frame !== undefined && isLimited(frame) ? [[frame.id, `r${i}`]] : [],
    );
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const [id, sent] of refused) expect(id).toBe(sent);
    expect(socket.stream()).toHaveLength(10);
  });

  it('uses the documented default of 16384 bytes per message', () => {
    expect(RATE_LIMIT_DEFAULTS.resumeBytesPerMessage).toBe(16_384);
  });
});

describe('rate limit: rateLimit.perUser across a user’s connections', () => {
  const defer = useCleanup();

  const setup = (rateLimit: RateLimit) => probedManager(defer, rateLimit);

  /** Sends `count` pings on each socket, then waits until the server has read them all. */
  async function pingAll(
    manager: WebSocketManager,
    sockets: TestSocket[],
    count: number,
  ): Promise<void> {
    const target = manager.stats().messagesIn + sockets.length * count;
    for (const socket of sockets)
      for (let i = 0; i < count; i++) socket.send({ type: 'probe', id: `p${i}` });
    while (manager.stats().messagesIn < target) await delay(2);
    await delay(50);
  }

  const acks = (socket: TestSocket) => socket.frames.filter((f) => f.type === 'ack').length;

  it('shares one bucket between two connections of a user; another user is unaffected', async () => {
    const { manager, open } = await setup({
      messages: 100,
      intervalMs: 60_000,
      perUser: { messages: 6, intervalMs: 60_000 },
    });
    const tabs = [await open('dev:alice'), await open('dev:alice')];
    const bob = await open('dev:bob');
    await pingAll(manager, tabs, 5);
    await pingAll(manager, [bob], 5);
    expect(acks(tabs[0] as TestSocket) + acks(tabs[1] as TestSocket)).toBe(6);
    // Each tab learns that it was limited: the report windows are per connection.
    for (const tab of tabs) expect(tab.frames.filter(isLimited).length).toBeLessThanOrEqual(1);
    expect(tabs.flatMap((tab) => tab.frames.filter(isLimited)).length).toBeGreaterThanOrEqual(1);
    expect(acks(bob)).toBe(5);
    expect(bob.frames.filter(isLimited)).toHaveLength(0);
    expect(manager.stats().rateLimited).toBe(4);
  });

  it('is off by default: each connection has its own bucket', async () => {
    const { manager, open } = await setup({ messages: 5, intervalMs: 60_000 });
    const tabs = [await open('dev:alice'), await open('dev:alice')];
    await pingAll(manager, tabs, 5);
    expect(tabs.map(acks)).toEqual([5, 5]);
    expect(manager.stats().rateLimited).toBe(0);
  });

  it('lives while the user has a connection on this node', async () => {
    const { manager, open } = await setup({
      messages: 100,
      intervalMs: 60_000,
      perUser: { messages: 3, intervalMs: 60_000 },
    });
    const first = await open('dev:alice');
    await pingAll(manager, [first], 3);
    const second = await open('dev:alice');
    await pingAll(manager, [second], 2);
    expect(acks(second)).toBe(0);
    await Promise.all([first.close(), second.close()]);
    while (manager.isConnected('alice')) await delay(2);
    const again = await open('dev:alice');
    await pingAll(manager, [again], 3);
    expect(acks(again)).toBe(3);
  });

  it.each<[string, unknown]>([
    ['no messages', { messages: 0, intervalMs: 1000 }],
    ['no interval', { messages: 5, intervalMs: -1 }],
    ['an infinite rate', { messages: Infinity, intervalMs: 1000 }],
    ['not an object', 5],
  ])('refuses perUser with %s', (_name, perUser) => {
    expect(
      () =>
        new WebSocketManager({
          authenticate: devAuthenticate,
          register: false,
          rateLimit: {
            messages: 5,
            intervalMs: 1000,
            perUser: perUser as NonNullable<RateLimit['perUser']>,
          },
        }),
    ).toThrow(expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }));
  });

  it.each([0, 0.5, -1, Number.NaN])('refuses rateLimit.resumeBytesPerMessage %p', (value) => {
    expect(
      () =>
        new WebSocketManager({
          authenticate: devAuthenticate,
          register: false,
          rateLimit: { messages: 5, intervalMs: 1000, resumeBytesPerMessage: value },
        }),
    ).toThrow(expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }));
  });
});

describe('RateLimiter with a resume charge and a shared bucket', () => {
  let now = 0;
  let spy: jest.SpyInstance;
  beforeEach(() => {
    now = 0;
    spy = jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => spy.mockRestore());

  it('charges a resume at most a full bucket, so a full bucket always pays for one', () => {
    const limiter = new RateLimiter({ messages: 4, intervalMs: 1000 });
    expect(limiter.check().kind).toBe('admit');
    expect(limiter.chargeResume(1_000)).toEqual({ kind: 'admit' });
    expect(limiter.check()).toEqual({ kind: 'drop', report: { dropped: 1, retryAfterMs: 250 } });
  });

  it('reports every refused resume, with the time until its whole cost fits', () => {
    const limiter = new RateLimiter({ messages: 10, intervalMs: 1000, abuseFactor: 100 });
    for (let i = 0; i < 8; i++) limiter.check();
    expect(limiter.check().kind).toBe('admit'); // the resume's own message: 1 token left
    expect(limiter.chargeResume(5)).toEqual({
      kind: 'drop',
      report: { dropped: 1, retryAfterMs: 400 },
    });
    expect(limiter.check().kind).toBe('admit');
    expect(limiter.chargeResume(5)).toEqual({
      kind: 'drop',
      report: { dropped: 1, retryAfterMs: 500 },
    });
  });

  it('admits a message only when both its own and the shared bucket hold it', () => {
    const shared = new TokenBucket({ messages: 3, intervalMs: 1000 });
    const a = new RateLimiter({ messages: 10, intervalMs: 1000, abuseFactor: 100 }, shared);
    const b = new RateLimiter({ messages: 10, intervalMs: 1000, abuseFactor: 100 }, shared);
    expect([a.check(), b.check(), a.check()].map((v) => v.kind)).toEqual([
      'admit',
      'admit',
      'admit',
    ]);
    expect(b.check()).toEqual({ kind: 'drop', report: { dropped: 1, retryAfterMs: 334 } });
    expect(a.check()).toEqual({ kind: 'drop', report: { dropped: 1, retryAfterMs: 334 } });
    now = 1000;
    expect(b.check().kind).toBe('admit');
  });
});
