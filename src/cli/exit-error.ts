import { isUnifiedWsError } from '../errors/unified-ws-error';

/** Thrown by commands to end with an exit code; only cli/main.ts turns it into one. */
export class ExitError extends Error {
  override name = 'ExitError' as const;
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Documented exit codes (README "CLI"). */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  /** A rollback could not restore every file: they are named, the journal is kept (migrate --abort). */
  ROLLBACK_INCOMPLETE: 3,
  INTERNAL: 70,
  /** SIGINT or SIGTERM stopped the command; the step in progress was rolled back. */
  INTERRUPTED: 130,
} as const;

/**
 * The exit code of an error that reached the CLI: the one place library errors become exit codes.
 * Bad input the user can fix (a manifest, a journal, an option) is a usage error; git's refusal is
 * a failure; anything else is a bug in unified-ws.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ExitError) return error.exitCode;
  if (!isUnifiedWsError(error)) return EXIT.INTERNAL;
  switch (error.code) {
    case 'UWS_ERR_MANIFEST_INVALID':
    case 'UWS_ERR_JOURNAL_CORRUPT':
    case 'UWS_ERR_INVALID_OPTION':
      return EXIT.USAGE;
    case 'UWS_ERR_GIT':
      return EXIT.FAILURE;
    default:
      return EXIT.INTERNAL;
  }
}
