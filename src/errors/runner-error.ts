import { UnifiedWsError } from './unified-ws-error';

/** The codemod runner lost a worker process (it crashed or was killed): nothing is reported as done. */
export class RunnerError extends UnifiedWsError {
  override name = 'RunnerError' as const;

  constructor(message: string) {
    super('UWS_ERR_CODEMOD_WORKER', { message });
  }
}

export function isRunnerError(error: unknown): error is RunnerError {
  return error instanceof RunnerError || (error instanceof Error && error.name === 'RunnerError');
}
