import { UnifiedWsError } from './unified-ws-error';

/** A manifest that cannot be used; `problems` lists every one found, each with its JSON path. */
export class ManifestError extends UnifiedWsError {
  override name = 'ManifestError' as const;

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super('UWS_ERR_MANIFEST_INVALID', {
      message: `${source} is not a valid manifest:\n  ${problems.join('\n  ')}`,
    });
  }
}

export function isManifestError(error: unknown): error is ManifestError {
  return (
    error instanceof ManifestError || (error instanceof Error && error.name === 'ManifestError')
  );
}
