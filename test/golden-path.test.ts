import { UnifiedWsClient } from '../src/client/node';
import { startDemoServer } from '../src/demo/demo-server';
import type { Envelope } from '../src/protocol/envelope';
import { findOrderViolation } from '../src/protocol/event-order';
import { useCleanup } from './helpers';

describe('golden path', () => {
  const defer = useCleanup();

  /** The demo server and a client of one user recording every envelope. */
  async function connectToDemo(user: string) {
    const server = await startDemoServer({ port: 0, host: '127.0.0.1', register: false });
    defer(() => server.close());
    const client = new UnifiedWsClient({
      url: `ws://127.0.0.1:${server.manager.address().port}/ws`,
      token: `dev:${user}`,
      reconnect: false,
    });
    defer(() => client.close());
    const received: Envelope[] = [];
    client.on('envelope', (envelope) => received.push(envelope));
    return { client, received };
  }

  it('answers a user_message with the five agent events, in order, ending with the answer', async () => {
    const { client, received } = await connectToDemo('alice');
    const answer = new Promise((resolve) =>
      client.on('agent_completed', (payload) => resolve(payload)),
    );

    await client.connect();
    const ack = await client.request('user_message', { text: 'what is (2 + 3) * 4?' });

    expect(await answer).toEqual({
      status: 'ok',
      result: { answer: '(2 + 3) * 4 = 20', value: 20 },
    });
    expect(received.map((envelope) => envelope.type)).toEqual([
      'agent_started',
      'agent_thinking',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
    expect(findOrderViolation(received)).toBeUndefined();
    expect(received.map((envelope) => envelope.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(received.map((envelope) => envelope.runId)).size).toBe(1);
    expect(received.every((envelope) => envelope.userId === 'alice' && envelope.v === 1)).toBe(
      true,
    );
    expect(received[4]?.payload).toMatchObject({ tool: 'calculator', status: 'ok', output: 20 });
    expect(ack.payload).toMatchObject({ status: 'ok', runId: received[0]?.runId });
  });

  it('completes the run with an answer when the tool fails', async () => {
    const { client, received } = await connectToDemo('bob');
    await client.connect();
    await client.request('user_message', { text: 'what is 1 / 0' });
    expect(received.find((envelope) => envelope.type === 'tool_completed')?.payload).toMatchObject({
      status: 'error',
      error: { code: 'DIVISION_BY_ZERO' },
    });
    expect(received.at(-1)?.payload).toMatchObject({
      status: 'ok',
      result: { answer: expect.stringContaining('Division by zero') },
    });
    expect(findOrderViolation(received)).toBeUndefined();
  });
});
