import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { announce, current, online, startServer } from './server';

test('a user asks and gets the agent events, then an announcement', async () => {
  const manager = startServer() as unknown as {
    ready(): Promise<void>;
    address(): { port: number };
    close(): Promise<void>;
  };
  await manager.ready();
  try {
    assert.equal(current(), manager);
    const socket = new WebSocket(`ws://127.0.0.1:${manager.address().port}/ws`, {
      headers: { Authorization: 'Bearer user:alice' },
    });
    const types: string[] = [];
    const done = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string };
        types.push(frame.type);
        if (frame.type === 'announcement') resolve();
      }),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    assert.equal(online('alice'), true);
    socket.send(JSON.stringify({ type: 'ask', id: 'q1', payload: 'hello' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await announce('alice', 'maintenance at noon');
    await done;
    socket.close();
    assert.deepEqual(
      types.filter((t) => t !== 'welcome' && t !== 'ack'),
      [
        'agent_started',
        'agent_thinking',
        'tool_executing',
        'tool_completed',
        'agent_completed',
        'announcement',
      ],
    );
  } finally {
    await manager.close();
  }
});
