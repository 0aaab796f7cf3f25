import type { ClientError } from '../../src/errors/client-error';
import { UnifiedWsClient } from '../../src/client/node';
import type { RateLimit } from '../../src/manager/rate-limiter';
import { MessageRouter } from '../../src/router/message-router';
import type { DeliverFn } from '../../src/scale/delivery-adapter';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import { delay, startManager, useCleanup } from '../helpers';
import { envelope, scriptedServer, until, welcome } from './peers';

/** Loses the live delivery of seq 2 on its way to the node, as a broken transport would. */
class LossyAdapter extends MemoryDeliveryAdapter {
  override start(deliver: DeliverFn): void {
    super.start((stored) => {
      if (stored.envelope.seq !== 2) deliver(stored);
    });
  }
}

describe('UnifiedWsClient resume under the rate limit', () => {
  const defer = useCleanup();

  /**
   * The real manager with `rateLimit`, a lossy adapter (so the client finds a gap at seq 3 and
   * resumes on the same connection) and a `noop` handler to spend the bucket with.
   */
  async function setup(rateLimit: RateLimit, resumeTimeoutMs = 60_000) {
    const router = new MessageRouter();
    router.on('noop', () => undefined);
    const { manager, url } = await startManager(defer, {
      router,
      rateLimit,
      adapter: new LossyAdapter(),
    });
    // resumeTimeoutMs is a minute: only the rate-limit handling can get the resume through in time.
    const client = new UnifiedWsClient({ url, token: 'dev:alice', resumeTimeoutMs });
    defer(() => client.close());
    const seen: number[] = [];
    const errors: ClientError[] = [];
    const lifecycle: string[] = [];
    client.on('envelope', (e) => seen.push(e.seq));
    client.on('error', (error) => errors.push(error));
    client.on('gap', () => lifecycle.push('gap'));
    client.on('resumed', (frame) => lifecycle.push(`resumed ${frame.recovered}`));
    client.on('close', ({ code }) => lifecycle.push(`close ${code}`));
    await client.connect();
    const sendThree = async () => {
      for (let n = 1; n <= 3; n++) await manager.forUser('alice').send('tick', { n });
    };
    return { manager, client, seen, errors, lifecycle, sendThree };
  }

  it('a resume dropped unread (bucket empty, RATE_LIMITED without id) is sent again after retryAfterMs', async () => {
    const { manager, client, seen, errors, lifecycle, sendThree } = await setup({
      messages: 3,
      intervalMs: 3000,
    });
    const connectionId = (await client.connect()).connectionId;
    for (let i = 0; i < 3; i++) client.send('noop');
    await sendThree();
    await until(() => seen.length === 3, 'the replay of seq 2', 10_000);
    expect(seen).toEqual([1, 2, 3]);
    expect(errors.map((e) => [e.frame?.code, e.frame?.id])).toEqual([['RATE_LIMITED', undefined]]);
    expect(lifecycle).toEqual(['gap', 'resumed true']);
    expect((await client.connect()).connectionId).toBe(connectionId);
    expect(manager.stats().rateLimited).toBe(1);
  });

  it('a resume the server charged and refused (RATE_LIMITED with its id) is sent again after retryAfterMs', async () => {
    const { manager, client, seen, errors, lifecycle, sendThree } = await setup({
      messages: 4,
      intervalMs: 2000,
      resumeBytesPerMessage: 1, // any replay costs a full bucket
    });
    client.send('noop');
    await sendThree();
    await until(() => seen.length === 3, 'the replay of seq 2', 10_000);
    expect(seen).toEqual([1, 2, 3]);
    expect(errors.map((e) => [e.frame?.code, e.frame?.id])).toEqual([
      ['RATE_LIMITED', expect.stringMatching(/^r\d+$/)],
    ]);
    expect(lifecycle).toEqual(['gap', 'resumed true']);
    expect(manager.connectionCount('alice')).toBe(1);
  });

  it('after a RATE_LIMITED, a resume waits for retryAfterMs before it is sent', async () => {
    // The window's only RATE_LIMITED went to the third noop: a resume sent at once would be
    // dropped without any answer.
    const { manager, seen, errors, lifecycle, client, sendThree } = await setup({
      messages: 2,
      intervalMs: 2000,
    });
    for (let i = 0; i < 3; i++) client.send('noop');
    await until(() => errors.length === 1, 'the RATE_LIMITED of the third noop');
    await sendThree();
    await until(() => seen.length === 3, 'the replay of seq 2', 10_000);
    expect(seen).toEqual([1, 2, 3]);
    expect(lifecycle).toEqual(['gap', 'resumed true']);
    expect(manager.stats().rateLimited).toBe(1);
  });

  it('a resume with no answer at all is given up after resumeTimeoutMs: resumed on a new connection', async () => {
    const { url, received } = await scriptedServer(
      defer,
      (socket, index) => {
        socket.send(welcome(index === 0 ? 0 : 3));
        if (index === 0) for (const seq of [1, 3]) socket.send(JSON.stringify(envelope(seq)));
      },
      (socket, message) => {
        if (message.type !== 'resume' || received.filter((m) => m.type === 'resume').length < 2)
          return;
        for (const seq of [2, 3]) socket.send(JSON.stringify(envelope(seq)));
        socket.send(
          JSON.stringify({ type: 'resumed', recovered: true, replayed: 2, epoch: 'e', seq: 3 }),
        );
      },
    );
    const client = new UnifiedWsClient({
      url,
      resumeTimeoutMs: 50,
      reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
    });
    defer(() => client.close());
    const seen: number[] = [];
    const closes: string[] = [];
    client.on('envelope', (e) => seen.push(e.seq));
    client.on('close', ({ code, reason }) => closes.push(`${code} ${reason}`));
    await client.connect();
    await until(() => seen.length === 3, 'the resume on the second connection');
    expect(seen).toEqual([1, 2, 3]);
    expect(closes).toEqual(['4000 resume timeout']);
  });

  it.each([
    ['resent at most 3 times on one connection', 10, 4],
    ['not waited for beyond reconnect.maxDelayMs', 60_000, 1],
  ])(
    'a rate-limited resume is %s, then resumed on a new connection',
    async (_what, retryAfterMs, onFirst) => {
      const resumesOn: number[] = [];
      let connection = -1;
      const { url } = await scriptedServer(
        defer,
        (socket, index) => {
          connection = index;
          socket.send(welcome(index === 0 ? 0 : 3));
          if (index === 0) for (const seq of [1, 3]) socket.send(JSON.stringify(envelope(seq)));
        },
        (socket, message) => {
          if (message.type !== 'resume') return;
          resumesOn.push(connection);
          if (connection === 0)
            return socket.send(
              JSON.stringify({
                type: 'error',
                code: 'RATE_LIMITED',
                message: 'slow down',
                id: message.id,
                dropped: 1,
                retryAfterMs,
              }),
            );
          for (const seq of [2, 3]) socket.send(JSON.stringify(envelope(seq)));
          socket.send(
            JSON.stringify({ type: 'resumed', recovered: true, replayed: 2, epoch: 'e', seq: 3 }),
          );
        },
      );
      const client = new UnifiedWsClient({
        url,
        reconnect: { initialDelayMs: 5, maxDelayMs: 1000 },
      });
      defer(() => client.close());
      const seen: number[] = [];
      const closes: string[] = [];
      client.on('envelope', (e) => seen.push(e.seq));
      client.on('close', ({ code, reason }) => closes.push(`${code} ${reason}`));
      await client.connect();
      await until(() => seen.length === 3, 'the resume on the second connection');
      expect(seen).toEqual([1, 2, 3]);
      expect(resumesOn).toEqual([...Array(onFirst).fill(0), 1]);
      expect(closes).toEqual(['4000 resume failed']);
      await delay(20);
    },
  );
});
