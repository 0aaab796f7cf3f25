import { ERROR_CODES, type ErrorCode } from './codes';

export interface UnifiedWsErrorOptions {
  /** Replaces the registry's default message; keep it actionable. */
  message?: string;
  cause?: unknown;
}

/** Base of every error unified-ws throws: a stable `code` from the registry, and `cause`. */
export class UnifiedWsError extends Error {
  override name: string = 'UnifiedWsError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, options: UnifiedWsErrorOptions = {}) {
    super(
      options.message ?? ERROR_CODES[code],
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
  }
}

/**
 * True for any unified-ws error, also one thrown by another copy of the package (matched on
 * name and code, not on the prototype, so two installed copies still recognise each other).
 */
export function isUnifiedWsError(error: unknown): error is UnifiedWsError {
  if (error instanceof UnifiedWsError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code in ERROR_CODES;
}
