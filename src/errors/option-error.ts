import { UnifiedWsError } from './unified-ws-error';

/** An option that is missing, out of range, or impossible together with another one. */
export class OptionError extends UnifiedWsError {
  override name = 'OptionError' as const;

  constructor(message: string) {
    super('UWS_ERR_INVALID_OPTION', { message });
  }
}

export function isOptionError(error: unknown): error is OptionError {
  return error instanceof OptionError || (error instanceof Error && error.name === 'OptionError');
}
