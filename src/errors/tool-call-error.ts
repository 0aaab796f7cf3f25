import { UnifiedWsError } from './unified-ws-error';

/** Thrown to an agent whose tool call failed (tool_completed already carried the error). */
export class ToolCallError extends UnifiedWsError {
  override name = 'ToolCallError' as const;
  constructor(
    readonly tool: string,
    /** The failing tool's own code, e.g. UNKNOWN_TOOL or the code its error carried. */
    readonly toolCode: string,
    message: string,
    cause?: unknown,
  ) {
    super('UWS_ERR_TOOL_FAILED', { message: `Tool "${tool}" failed: ${message}`, cause });
  }
}

export function isToolCallError(error: unknown): error is ToolCallError {
  return (
    error instanceof ToolCallError || (error instanceof Error && error.name === 'ToolCallError')
  );
}
