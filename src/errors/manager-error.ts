import { UnifiedWsError } from './unified-ws-error';

/** Manager lifecycle and default-registration errors. */
export class ManagerError extends UnifiedWsError {
  override name = 'ManagerError' as const;
}

export function isManagerError(error: unknown): error is ManagerError {
  return error instanceof ManagerError || (error instanceof Error && error.name === 'ManagerError');
}
