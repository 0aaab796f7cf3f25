import { UnifiedWsError } from './unified-ws-error';

export interface DeprecatedUseDetails {
  /** The deprecation code, e.g. UWS004. */
  deprecation: string;
  /** The legacy module specifier. */
  entryPoint: string;
  replacement: string;
  /** How to migrate automatically. */
  codemod: string;
  /** Set when the use throws because the running version removed the entry point. */
  removedIn?: string;
}

/**
 * A use of a legacy entry point that may not happen: policy `throw` (code
 * UWS_ERR_DEPRECATED_USE) or a version at or past the entry's removeIn (UWS_ERR_REMOVED).
 */
export class DeprecatedUseError extends UnifiedWsError {
  override name = 'DeprecatedUseError' as const;
  readonly deprecation: string;
  readonly entryPoint: string;
  readonly replacement: string;
  readonly codemod: string;

  constructor(details: DeprecatedUseDetails) {
    const what = details.removedIn
      ? `${details.entryPoint} (${details.deprecation}) was removed in ${details.removedIn}`
      : `${details.entryPoint} (${details.deprecation}) is deprecated and the policy forbids its use`;
    super(details.removedIn ? 'UWS_ERR_REMOVED' : 'UWS_ERR_DEPRECATED_USE', {
      message: `${what}: use ${details.replacement}. Migrate with: ${details.codemod}`,
    });
    this.deprecation = details.deprecation;
    this.entryPoint = details.entryPoint;
    this.replacement = details.replacement;
    this.codemod = details.codemod;
  }
}

export function isDeprecatedUseError(error: unknown): error is DeprecatedUseError {
  return (
    error instanceof DeprecatedUseError ||
    (error instanceof Error && error.name === 'DeprecatedUseError')
  );
}
