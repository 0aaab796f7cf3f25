import { UnifiedWsError } from './unified-ws-error';

/** Misuse of a registry of handlers, tools or agents (duplicates, unknown names, reserved types). */
export class RegistrationError extends UnifiedWsError {
  override name = 'RegistrationError' as const;
}

export function isRegistrationError(error: unknown): error is RegistrationError {
  return (
    error instanceof RegistrationError ||
    (error instanceof Error && error.name === 'RegistrationError')
  );
}
