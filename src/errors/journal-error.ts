import { UnifiedWsError } from './unified-ws-error';

/** A migration journal (.unified-ws/journal.json) that cannot be read: never guessed at. */
export class JournalError extends UnifiedWsError {
  override name = 'JournalError' as const;

  constructor(
    readonly path: string,
    message: string,
    cause?: unknown,
  ) {
    super('UWS_ERR_JOURNAL_CORRUPT', { message, cause });
  }
}

export function isJournalError(error: unknown): error is JournalError {
  return error instanceof JournalError || (error instanceof Error && error.name === 'JournalError');
}
