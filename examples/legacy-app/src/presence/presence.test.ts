import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { presenceOf, startPresence } from './index';

test('a user is online while connected', async () => {
  const hub = startPresence();
  await hub.ready();
  try {
    assert.equal(presenceOf(hub, 'bob'), 'offline');
    const socket = new WebSocket(`ws://127.0.0.1:${hub.address().port}/ws`, {
      headers: { Authorization: 'Bearer user:bob' },
    });
    await new Promise((resolve) => socket.once('open', resolve));
    // The server may see the connection a moment after the client does.
    for (let i = 0; i < 50 && presenceOf(hub, 'bob') === 'offline'; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(presenceOf(hub, 'bob'), 'online');
    assert.equal(hub.connectionCount('bob'), 1);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    hub.disconnect('bob');
    await closed;
    for (let i = 0; i < 50 && presenceOf(hub, 'bob') === 'online'; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(presenceOf(hub, 'bob'), 'offline');
  } finally {
    await hub.close();
  }
});
