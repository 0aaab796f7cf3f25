import { FRAME_ERROR_CODES, type FrameErrorCode } from './codes';
import type { ErrorFrame, InboundMessage } from './envelope';

export type DecodeResult = { ok: true; message: InboundMessage } | { ok: false; error: ErrorFrame };

export function errorFrame(code: FrameErrorCode, message?: string, id?: string): ErrorFrame {
  const frame: ErrorFrame = { type: 'error', code, message: message ?? FRAME_ERROR_CODES[code] };
  if (id !== undefined) frame.id = id;
  return frame;
}

/**
 * Decodes one inbound frame. Never throws: every malformed input becomes an error frame that
 * carries the request id whenever one could be read.
 */
export function decodeInbound(
  data: Buffer | ArrayBuffer | Buffer[] | string,
  isBinary: boolean,
): DecodeResult {
  if (isBinary) return { ok: false, error: errorFrame('BINARY_UNSUPPORTED') };
  const text =
    typeof data === 'string'
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: errorFrame('BAD_JSON') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: errorFrame('BAD_MESSAGE') };
  }
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' && record.id.length <= 128 ? record.id : undefined;
  if (record.id !== undefined && id === undefined) {
    return {
      ok: false,
      error: errorFrame('BAD_MESSAGE', '`id` must be a string of at most 128 characters.'),
    };
  }
  if (typeof record.type !== 'string' || record.type.length === 0 || record.type.length > 128) {
    return {
      ok: false,
      error: errorFrame('BAD_MESSAGE', 'A message needs a non-empty string `type`.', id),
    };
  }
  const message: InboundMessage = { type: record.type, payload: record.payload };
  if (id !== undefined) message.id = id;
  return { ok: true, message };
}
