/** Thrown by commands to end with an exit code; only cli/index.ts turns it into one. */
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
  INTERNAL: 70,
} as const;
