import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, type Envelope, type OutboundMessage } from '../protocol/envelope';
import type { StoredEnvelope } from './delivery-adapter';

// What every delivery adapter shares about a user stream: how an epoch is named, how an envelope
// is encoded, and the default replay window. One place, so frames are byte-identical across
// adapters and nodes and the defaults cannot drift apart.

/** The replay window both adapters keep per user unless told otherwise. */
export const HISTORY_DEFAULTS = {
  /** Envelopes kept per user for replay. */
  historySize: 256,
  /** Bytes of frames kept per user for replay, the oldest going first (memory adapter). */
  historyBytes: 1024 * 1024,
  /** How long an envelope stays replayable, in ms (5 minutes). */
  historyTtlMs: 300_000,
} as const;

/** A fresh stream name: a stale offset from another epoch is never trusted. */
export function newEpoch(): string {
  return randomBytes(9).toString('base64url');
}

/** Encodes an envelope the one way every adapter does, so frames are byte-identical across nodes. */
export function createEnvelope(
  userId: string,
  message: OutboundMessage,
  seq: number,
  epoch: string,
  ts: number,
): StoredEnvelope {
  const envelope: Envelope =
    message.runId === undefined
      ? {
          v: PROTOCOL_VERSION,
          type: message.type,
          userId,
          seq,
          epoch,
          ts,
          payload: message.payload,
        }
      : {
          v: PROTOCOL_VERSION,
          type: message.type,
          userId,
          runId: message.runId,
          seq,
          epoch,
          ts,
          payload: message.payload,
        };
  const frame = JSON.stringify(envelope);
  return { envelope, frame, bytes: Buffer.byteLength(frame) };
}
