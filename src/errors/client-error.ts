import { UnifiedWsError, type UnifiedWsErrorOptions } from './unified-ws-error';
import type { ErrorCode } from './codes';
import type { ErrorFrame } from '../protocol/envelope';

/** Errors of the protocol client. `frame` is the server's error frame, when there was one. */
export class ClientError extends UnifiedWsError {
  override name = 'ClientError' as const;
  readonly frame: ErrorFrame | undefined;

  constructor(code: ErrorCode, options: UnifiedWsErrorOptions & { frame?: ErrorFrame } = {}) {
    super(code, options);
    this.frame = options.frame;
  }
}

export function isClientError(error: unknown): error is ClientError {
  return error instanceof ClientError || (error instanceof Error && error.name === 'ClientError');
}
