import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { UnifiedWsClient } from '../../src/client/node';
import type { Envelope } from '../../src/protocol/envelope';
import { RedisDeliveryAdapter, type RedisAdapterOptions } from '../../src/scale/redis-adapter';
import { delay, startManager, TestSocket, useCleanup } from '../helpers';
import { RedisServer } from './redis-server';

describe('RedisDeliveryAdapter against a real redis-server', () => {
  const defer = useCleanup();

  async function cluster(
    nodes: number,
    options: Partial<RedisAdapterOptions> = {},
    persistent = false,
  ) {
    const redis = await RedisServer.start(persistent);
    defer(() => redis.dispose());
    const started = [];
    for (let i = 0; i < nodes; i++)
      started.push(
        await startManager(defer, {
          adapter: new RedisDeliveryAdapter({ url: redis.url, ...options }),
        }),
      );
    return { redis, nodes: started };
  }

  it('delivers what node A publishes to the user connected on node B, byte for byte, in order', async () => {
    const { nodes } = await cluster(2);
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const alice = await TestSocket.open(b.url, 'dev:alice');
    const bob = await TestSocket.open(a.url, 'dev:bob');
    defer(() => Promise.all([alice.close(), bob.close()]));
    const sent: Envelope[] = [];
    for (let i = 0; i < 20; i++)
      sent.push(await a.manager.forUser('alice').send('note', { i, text: 'héllo' }));
    const frames = await alice.waitForCount((f) => f.type === 'note', 20);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    expect(frames).toEqual(sent.map((e) => JSON.parse(JSON.stringify(e))));
    expect(bob.stream()).toEqual([]);
    expect(a.manager.stats().delivered).toBe(0);
  });

  it('serves a resume from any node: every missed envelope once, in order', async () => {
    const { nodes } = await cluster(2);
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const first = await TestSocket.open(a.url, 'dev:alice');
    for (let i = 0; i < 3; i++) await b.manager.forUser('alice').send('note', { i });
    await first.waitForCount((f) => f.type === 'note', 3);
    const { epoch } = first.frames[0] as { epoch: string };
    await first.close();
    for (let i = 3; i < 8; i++) await a.manager.forUser('alice').send('note', { i });
    const second = await TestSocket.open(b.url, 'dev:alice');
    defer(() => second.close());
    second.send({ type: 'resume', payload: { epoch, seq: 3 } });
    expect(await second.waitFor((f) => f.type === 'resumed')).toMatchObject({
      recovered: true,
      replayed: 5,
      seq: 8,
    });
    expect(second.stream().map((f) => f.seq)).toEqual([4, 5, 6, 7, 8]);
    second.send({ type: 'resume', payload: { epoch: 'another', seq: 0 } });
    expect((await second.waitForCount((f) => f.type === 'resumed', 2))[1]).toMatchObject({
      recovered: false,
      seq: 8,
    });
  });

  it('fills a gap from the stream when a node missed live messages (its subscription dropped)', async () => {
    const { redis, nodes } = await cluster(2);
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const alice = await TestSocket.open(b.url, 'dev:alice');
    defer(() => alice.close());
    await a.manager.forUser('alice').send('note', { i: 0 });
    await alice.waitFor((f) => f.type === 'note');
    const admin = new Redis(redis.url);
    defer(() => admin.quit());
    await admin.client('KILL', 'TYPE', 'pubsub');
    for (let i = 1; i < 6; i++) await a.manager.forUser('alice').send('note', { i });
    const frames = await alice.waitForCount((f) => f.type === 'note', 6, 10_000);
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('asks the user to resync (close 4009) when the gap is older than the stream', async () => {
    const { redis, nodes } = await cluster(2, { historySize: 2 });
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const alice = await TestSocket.open(b.url, 'dev:alice');
    defer(() => alice.close());
    const admin = new Redis(redis.url);
    defer(() => admin.quit());
    await admin.client('KILL', 'TYPE', 'pubsub');
    // XADD MAXLEN ~ trims by whole nodes; far more than the bound makes sure the start is gone.
    for (let i = 0; i < 300; i++) await a.manager.forUser('alice').send('note', { i });
    expect((await alice.closed).code).toBe(4009);
  });

  it('rides out a Redis restart with losslessRestarts: nothing the stream kept is lost, connections stay, delivery comes back', async () => {
    const { redis, nodes } = await cluster(2, { losslessRestarts: true }, true);
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const client = new UnifiedWsClient({
      url: b.url,
      token: 'dev:alice',
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    defer(() => client.close());
    const received: number[] = [];
    client.on('envelope', (envelope) => received.push(envelope.seq));
    await client.connect();
    for (let i = 0; i < 5; i++) await a.manager.forUser('alice').send('note', { i });
    while (received.length < 5) await delay(5);
    await redis.restart(200);
    expect(b.manager.isConnected('alice')).toBe(true);
    for (let i = 5; i < 10; i++) await a.manager.forUser('alice').send('note', { i });
    const deadline = Date.now() + 10_000;
    while (received.length < 10 && Date.now() < deadline) await delay(10);
    expect(received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const replay = await b.manager.adapter.replay('alice', {
      epoch: client.lastPosition?.epoch as string,
      seq: 0,
    });
    expect(replay).toMatchObject({ recovered: true });
    expect(replay.recovered && replay.frames.map((f) => f.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('holds sends made during a short outage and delivers them, in order, when Redis is back (losslessRestarts)', async () => {
    const { redis, nodes } = await cluster(2, { losslessRestarts: true }, true);
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const alice = await TestSocket.open(b.url, 'dev:alice');
    defer(() => alice.close());
    await a.manager.forUser('alice').send('note', { i: 0 });
    await alice.waitFor((f) => f.type === 'note');
    await redis.stop();
    const during = Array.from({ length: 5 }, (_, i) =>
      a.manager.forUser('alice').send('note', { i: i + 1 }),
    );
    await delay(300);
    expect(alice.ws.readyState).toBe(1); // the connection stays up through the outage
    await redis.boot();
    await Promise.all(during);
    const frames = await alice.waitForCount((f) => f.type === 'note', 6, 10_000);
    expect(frames.map((f) => (f.payload as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lets the users of a node that dies reconnect to another node and resume', async () => {
    const { nodes } = await cluster(2);
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const onA = await TestSocket.open(a.url, 'dev:alice');
    await b.manager.forUser('alice').send('note', { i: 1 });
    await onA.waitFor((f) => f.type === 'note');
    const { epoch } = onA.frames[0] as { epoch: string };
    await a.manager.close();
    expect((await onA.closed).code).toBe(1001);
    await b.manager.forUser('alice').send('note', { i: 2 });
    const onB = await TestSocket.open(b.url, 'dev:alice');
    defer(() => onB.close());
    onB.send({ type: 'resume', payload: { epoch, seq: 1 } });
    expect(await onB.waitFor((f) => f.type === 'resumed')).toMatchObject({
      recovered: true,
      replayed: 1,
    });
    expect(onB.stream().map((f) => f.payload)).toEqual([{ i: 2 }]);
  });
});

describe('unified-ws serve --redis', () => {
  const defer = useCleanup();

  it('runs two nodes of one cluster: a user on node B gets the run started through node A', async () => {
    const redis = await RedisServer.start();
    defer(() => redis.dispose());
    const bin = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const child = spawn(
        process.execPath,
        [bin, 'serve', '--port', '0', '--dev-auth', '--redis', redis.url],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      defer(() => new Promise((resolve) => (child.once('close', resolve), child.kill('SIGTERM'))));
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      const deadline = Date.now() + 10_000;
      while (!/listening on (ws:\/\/\S+)/.test(out) && Date.now() < deadline) await delay(10);
      urls.push(/listening on (ws:\/\/\S+)/.exec(out)?.[1] as string);
    }
    const [a, b] = urls as [string, string];
    const watcher = await TestSocket.open(b, 'dev:carol');
    const asker = await TestSocket.open(a, 'dev:carol');
    defer(() => Promise.all([watcher.close(), asker.close()]));
    asker.send({ type: 'user_message', id: 'q', payload: { text: 'what is 6 * 7' } });
    const done = await watcher.waitFor((f) => f.type === 'agent_completed', 10_000);
    expect(done.payload).toMatchObject({ status: 'ok', result: { answer: '6 * 7 = 42' } });
    expect(watcher.stream().map((f) => f.type)).toEqual([
      'agent_started',
      'agent_thinking',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
  });

  it('refuses a malformed URL with exit 2, and an unreachable Redis with exit 1', async () => {
    const bin = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');
    const bad = spawnSync(
      process.execPath,
      [bin, 'serve', '--port', '0', '--dev-auth', '--redis', 'localhost:6379'],
      { encoding: 'utf8' },
    );
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('--redis takes a URL')]);
    const down = spawnSync(
      process.execPath,
      [bin, 'serve', '--port', '0', '--dev-auth', '--redis', 'redis://127.0.0.1:1'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect([down.status, down.stderr]).toEqual([
      1,
      expect.stringContaining('cannot start on 127.0.0.1:0 with redis://127.0.0.1:1'),
    ]);
  });
});
