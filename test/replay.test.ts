import { UnifiedWsClient } from '../src/client/node';
import type { Envelope } from '../src/protocol/envelope';
import { MemoryDeliveryAdapter } from '../src/scale/memory-adapter';
import { delay, startManager, TestSocket, useCleanup } from './helpers';

describe('resume', () => {
  const defer = useCleanup();

  it('replays every event missed in mid-run exactly once, in order, then live traffic', async () => {
    const { manager, url } = await startManager(defer);
    const client = new UnifiedWsClient({
      url,
      token: 'dev:alice',
      reconnect: { initialDelayMs: 20, maxDelayMs: 20 },
    });
    defer(() => client.close());
    const received: Envelope[] = [];
    client.on('envelope', (envelope) => received.push(envelope));
    const resumed = new Promise((resolve) => client.on('resumed', resolve));
    await client.connect();

    const run = manager.forUser('alice').agentRun({ agent: 'demo' });
    await run.start();
    await run.thinking('one');
    while (received.length < 2) await delay(2);
    // Drop the connection from the server side, as a network failure would, and keep the run going.
    manager.disconnect('alice', 4000, 'test drop');
    while (manager.isConnected('alice')) await delay(2);
    await run.thinking('two (missed)');
    const call = await run.toolExecuting('calc', { x: 1 });
    await run.toolCompleted(call.payload.callId, 2);

    expect(await resumed).toMatchObject({ type: 'resumed', recovered: true, replayed: 3, seq: 5 });
    await run.complete({ answer: 2 });
    while (received.length < 6) await delay(2);
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(received.map((e) => e.type)).toEqual([
      'agent_started',
      'agent_thinking',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
  });

  it('answers recovered: false, and replays nothing, beyond the history window', async () => {
    const { manager, url } = await startManager(defer, {
      adapter: new MemoryDeliveryAdapter({ historySize: 3 }),
    });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    const welcome = socket.frames[0] as { epoch: string };
    for (let i = 0; i < 10; i++) await manager.forUser('alice').send('tick', { i });
    await socket.waitForCount((f) => f.type === 'tick', 10);
    const later = await TestSocket.open(url, 'dev:alice');
    defer(() => later.close());
    later.send({ type: 'resume', payload: { epoch: welcome.epoch, seq: 2 } });
    expect(await later.waitFor((f) => f.type === 'resumed')).toEqual({
      type: 'resumed',
      recovered: false,
      replayed: 0,
      epoch: welcome.epoch,
      seq: 10,
    });
    expect(later.stream()).toHaveLength(0);
    // Within the window it is whole:
    later.send({ type: 'resume', payload: { epoch: welcome.epoch, seq: 7 } });
    await later.waitForCount((f) => f.type === 'resumed', 2);
    expect(later.stream().map((f) => f.seq)).toEqual([8, 9, 10]);
  });

  it('answers recovered: false for a stale epoch, and after the history aged out', async () => {
    const adapter = new MemoryDeliveryAdapter({ historyTtlMs: 30 });
    const { manager, url } = await startManager(defer, { adapter });
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    await manager.forUser('alice').send('tick', {});
    const { epoch } = socket.frames[0] as { epoch: string };
    socket.send({ type: 'resume', payload: { epoch: 'not-the-epoch', seq: 0 } });
    expect(await socket.waitFor((f) => f.type === 'resumed')).toMatchObject({
      recovered: false,
      epoch,
    });
    await delay(50);
    socket.send({ type: 'resume', payload: { epoch, seq: 0 } });
    await socket.waitForCount((f) => f.type === 'resumed', 2);
    expect(socket.frames.filter((f) => f.type === 'resumed')[1]).toMatchObject({
      recovered: false,
      seq: 1,
    });
  });

  it('binds a resume to the authenticated user: another user’s epoch yields nothing of theirs', async () => {
    const { manager, url } = await startManager(defer);
    const alice = await TestSocket.open(url, 'dev:alice');
    const mallory = await TestSocket.open(url, 'dev:mallory');
    defer(() => Promise.all([alice.close(), mallory.close()]));
    await manager.forUser('alice').send('secret', { card: '4111' });
    const { epoch } = alice.frames[0] as { epoch: string };
    mallory.send({ type: 'resume', payload: { epoch, seq: 0 } });
    expect(await mallory.waitFor((f) => f.type === 'resumed')).toMatchObject({
      recovered: false,
      replayed: 0,
    });
    expect(mallory.frames.some((f) => f.type === 'secret' || f.userId === 'alice')).toBe(false);
  });

  it('answers a malformed resume with INVALID_PAYLOAD', async () => {
    const { url } = await startManager(defer);
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    socket.send({ type: 'resume', id: 'r', payload: { epoch: 1, seq: -1 } });
    expect(await socket.waitFor((f) => f.type === 'error')).toMatchObject({
      code: 'INVALID_PAYLOAD',
      id: 'r',
    });
  });
});
