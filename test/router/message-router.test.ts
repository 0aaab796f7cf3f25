import { MessageRouter } from '../../src/router/message-router';
import { startManager, TestSocket, useCleanup, type Frame } from '../helpers';

describe('MessageRouter over a real connection', () => {
  const defer = useCleanup();

  async function setup(options: Parameters<typeof startManager>[1] = {}) {
    const errors: unknown[] = [];
    const router = new MessageRouter({ onHandlerError: (error) => errors.push(error) });
    router.on<{ n: number }>('double', (payload) => ({ doubled: payload.n * 2 }), {
      validate: (payload) =>
        typeof (payload as { n?: unknown } | null)?.n === 'number' || 'n must be a number',
    });
    router.on('echo_user', (_payload, context) =>
      context.channel.send('echoed', {
        userId: context.userId,
        connectionId: context.connectionId,
      }),
    );
    router.on('explode', () => {
      throw new Error('handler bug with internals');
    });
    router.on('schema', () => 'ok', {
      validate: {
        safeParse: (value) => ({ success: value === 'yes', error: new Error('must be "yes"') }),
      },
    });
    const { manager, url } = await startManager(defer, { router, ...options });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    return { manager, socket, errors };
  }

  const invalid: [name: string, frame: string | Buffer, expected: Partial<Frame>][] = [
    ['malformed JSON', '{"type":', { code: 'BAD_JSON' }],
    ['a JSON array', '[1,2]', { code: 'BAD_MESSAGE' }],
    ['a JSON string', '"hello"', { code: 'BAD_MESSAGE' }],
    [
      'a missing type',
      JSON.stringify({ id: 'm1', payload: {} }),
      { code: 'BAD_MESSAGE', id: 'm1' },
    ],
    ['a numeric id', JSON.stringify({ type: 'double', id: 5 }), { code: 'BAD_MESSAGE' }],
    [
      'an unknown type',
      JSON.stringify({ type: 'nope', id: 'm2' }),
      { code: 'UNKNOWN_TYPE', id: 'm2' },
    ],
    [
      'an invalid payload',
      JSON.stringify({ type: 'double', id: 'm3', payload: { n: 'x' } }),
      { code: 'INVALID_PAYLOAD', id: 'm3', message: 'n must be a number' },
    ],
    [
      'a payload failing a schema',
      JSON.stringify({ type: 'schema', id: 'm4', payload: 'no' }),
      { code: 'INVALID_PAYLOAD', id: 'm4', message: 'must be "yes"' },
    ],
    [
      'a throwing handler',
      JSON.stringify({ type: 'explode', id: 'm5' }),
      { code: 'HANDLER_FAILED', id: 'm5' },
    ],
    ['a binary frame', Buffer.from([1, 2, 3]), { code: 'BINARY_UNSUPPORTED' }],
  ];

  it.each(invalid)(
    'answers %s with an error frame and keeps the connection',
    async (_name, frame, expected) => {
      const { socket } = await setup();
      socket.ws.send(frame, { binary: Buffer.isBuffer(frame) });
      const error = await socket.waitFor((f) => f.type === 'error');
      expect(error).toMatchObject({ type: 'error', ...expected });
      expect(String(error.message)).not.toContain('internals');
      socket.send({ type: 'double', id: 'after', payload: { n: 21 } });
      expect(await socket.waitFor((f) => f.type === 'ack')).toEqual({
        type: 'ack',
        id: 'after',
        payload: { doubled: 42 },
      });
    },
  );

  it('reports a throwing handler to onHandlerError, not to the process', async () => {
    const { socket, errors } = await setup();
    socket.send({ type: 'explode' });
    await socket.waitFor((f) => f.type === 'error');
    expect(errors).toHaveLength(1);
  });

  it('gives the handler the authenticated user and only that user’s channel', async () => {
    const { socket } = await setup();
    socket.send({ type: 'echo_user', id: 'e1' });
    const echoed = await socket.waitFor((f) => f.type === 'echoed');
    expect(echoed).toMatchObject({ userId: 'alice', payload: { userId: 'alice' } });
  });

  it('answers RATE_LIMITED past the per-connection limit (once per window) and keeps the connection', async () => {
    const { socket, manager } = await setup({ rateLimit: { messages: 5, intervalMs: 60_000 } });
    for (let i = 0; i < 8; i++) socket.send({ type: 'double', id: `r${i}`, payload: { n: i } });
    expect((await socket.waitForCount((f) => f.type === 'ack', 5)).length).toBe(5);
    const limited = await socket.waitForCount(
      (f) => f.type === 'error' && f.code === 'RATE_LIMITED',
      1,
    );
    // Three messages dropped in one window: one answer, every drop counted.
    expect(limited).toHaveLength(1);
    expect(manager.stats().rateLimited).toBe(3);
    expect(socket.ws.readyState).toBe(1);
  });

  it('closes a frame over maxPayload with 1009 and keeps serving others', async () => {
    const { socket, manager, url } = await (async () => {
      const router = new MessageRouter();
      router.on('probe', () => 'probed');
      const started = await startManager(defer, { router, maxPayload: 1024 });
      const s = await TestSocket.open(started.url, 'dev:alice');
      defer(() => s.close());
      return { socket: s, ...started };
    })();
    socket.send({ type: 'probe', payload: 'x'.repeat(2048) });
    expect((await socket.closed).code).toBe(1009);
    const other = await TestSocket.open(url, 'dev:bob');
    defer(() => other.close());
    other.send({ type: 'probe', id: 'p' });
    expect(await other.waitFor((f) => f.type === 'ack')).toMatchObject({ payload: 'probed' });
    expect(manager.connectionCount('alice')).toBe(0);
  });

  describe('#on', () => {
    it('refuses a duplicate handler and the reserved resume type', () => {
      const router = new MessageRouter();
      router.on('a', () => undefined);
      expect(() => router.on('a', () => undefined)).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_DUPLICATE_REGISTRATION' }),
      );
      expect(() => router.on('resume', () => undefined)).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_RESERVED_TYPE' }),
      );
    });
  });
});

describe('MessageRouter hooks', () => {
  const defer = useCleanup();

  it('still answers HANDLER_FAILED when onHandlerError itself throws', async () => {
    const router = new MessageRouter({
      onHandlerError: () => {
        throw new Error('the logger is broken too');
      },
    });
    router.on('explode', () => {
      throw new Error('bug');
    });
    const { url } = await startManager(defer, { router });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    socket.send({ type: 'explode', id: 'x' });
    expect(await socket.waitFor((f) => f.type === 'error')).toMatchObject({
      code: 'HANDLER_FAILED',
      id: 'x',
    });
  });
});
