import WebSocket from 'ws';
import { CLOSE_CODES } from '../../src/protocol/codes';
import { MemoryDeliveryAdapter } from '../../src/scale/memory-adapter';
import { startManager, TestSocket, useCleanup } from '../helpers';

/** Issue 13: the close codes docs/protocol.md lists are the ones a client really sees. */
const defer = useCleanup();

function closeOf(ws: WebSocket): Promise<number> {
  ws.on('error', () => undefined);
  return new Promise((resolve) => ws.on('close', (code) => resolve(code)));
}

describe('close codes a client sees', () => {
  it('1009 MESSAGE_TOO_BIG when a message exceeds maxPayload (ws)', async () => {
    const { url } = await startManager(defer, { maxPayload: 64 });
    const socket = await TestSocket.open(url, 'dev:alice');
    socket.ws.send(JSON.stringify({ type: 'x', payload: 'y'.repeat(200) }));
    expect((await socket.closed).code).toBe(CLOSE_CODES.MESSAGE_TOO_BIG);
  });

  it('1007 INVALID_FRAME_PAYLOAD_DATA on a text message that is not UTF-8 (ws)', async () => {
    const { url } = await startManager(defer);
    const socket = await TestSocket.open(url, 'dev:alice');
    socket.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await socket.closed).code).toBe(CLOSE_CODES.INVALID_FRAME_PAYLOAD_DATA);
  });

  it('1011 INTERNAL_ERROR when the user stream cannot be opened', async () => {
    class FailingAdapter extends MemoryDeliveryAdapter {
      override subscribe(): Promise<void> {
        return Promise.reject(new Error('stream down'));
      }
    }
    const errors: string[] = [];
    const { url } = await startManager(defer, {
      adapter: new FailingAdapter(),
      logger: { error: (message) => errors.push(message) },
    });
    const ws = new WebSocket(url, { headers: { Authorization: 'Bearer dev:alice' } });
    expect(await closeOf(ws)).toBe(CLOSE_CODES.INTERNAL_ERROR);
    expect(errors).toEqual(['could not open the user stream']);
  });

  it('1000 and 1001 as the manager sends them', async () => {
    const { manager, url } = await startManager(defer);
    const a = await TestSocket.open(url, 'dev:alice');
    expect(manager.disconnect('alice')).toBe(1);
    expect((await a.closed).code).toBe(CLOSE_CODES.NORMAL);
    const b = await TestSocket.open(url, 'dev:bob');
    await manager.close();
    expect((await b.closed).code).toBe(CLOSE_CODES.GOING_AWAY);
  });

  it('every code is a valid close code a server may send, and unique', () => {
    const codes = Object.values(CLOSE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes)
      expect(
        (code >= 1000 && code <= 1011 && ![1004, 1005, 1006].includes(code)) ||
          (code >= 4000 && code <= 4999),
      ).toBe(true);
    expect(codes).not.toContain(1006);
  });
});
