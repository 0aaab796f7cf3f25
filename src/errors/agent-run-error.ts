import { UnifiedWsError } from './unified-ws-error';

/** A violation of the agent event order, or use of a run after agent_completed. */
export class AgentRunError extends UnifiedWsError {
  override name = 'AgentRunError' as const;
}

export function isAgentRunError(error: unknown): error is AgentRunError {
  return (
    error instanceof AgentRunError || (error instanceof Error && error.name === 'AgentRunError')
  );
}
