import { UnifiedWsError } from './unified-ws-error';

/** A git command that could not run or failed; `args` and git's own `stderr` say which and why. */
export class GitError extends UnifiedWsError {
  override name = 'GitError' as const;

  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    cause?: unknown,
  ) {
    super('UWS_ERR_GIT', {
      message:
        cause === undefined
          ? `git ${args.join(' ')} failed: ${stderr.trim()}`
          : `git could not run: ${(cause as Error).message}`,
      cause,
    });
  }
}

export function isGitError(error: unknown): error is GitError {
  return error instanceof GitError || (error instanceof Error && error.name === 'GitError');
}
