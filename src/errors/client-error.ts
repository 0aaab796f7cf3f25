import { UnifiedWsError, type UnifiedWsErrorOptions } from './unified-ws-error';
import type { ErrorCode } from './codes';
import type { ErrorFrame } from '../protocol/envelope';

export interface ClientErrorOptions extends UnifiedWsErrorOptions {
  frame?: ErrorFrame | undefined;
  closeCode?: number | undefined;
  closeReason?: string | undefined;
  httpStatus?: number | undefined;
}

/**
 * Errors of the protocol client. `frame` is the server's error frame, when there was one;
 * `closeCode`/`closeReason` the close that ended a connection attempt; `httpStatus` the status of
 * a refused upgrade, where the platform can read it (Node; browsers hide it).
 */
export class ClientError extends UnifiedWsError {
  override name = 'ClientError' as const;
  readonly frame: ErrorFrame | undefined;
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: ErrorCode, options: ClientErrorOptions = {}) {
    super(code, options);
    this.frame = options.frame;
    this.closeCode = options.closeCode;
    this.closeReason = options.closeReason;
    this.httpStatus = options.httpStatus;
  }
}

export function isClientError(error: unknown): error is ClientError {
  return error instanceof ClientError || (error instanceof Error && error.name === 'ClientError');
}
