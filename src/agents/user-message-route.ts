import type { MessageRouter } from '../router/message-router';
import type { ExecutionEngine, RunOutcome } from './execution-engine';

export interface UserMessagePayload {
  text: string;
}

export interface UserMessageRouteOptions {
  /** The agent to run. Default: the engine's default agent. */
  agent?: string;
  /** Longest accepted text, in characters. Default 8000. */
  maxTextLength?: number;
}

/**
 * Wires the golden path: an inbound `{ type: 'user_message', id, payload: { text } }` runs the
 * agent for the authenticated user; the ack (when the message had an id) carries the outcome.
 */
export function routeUserMessages(
  router: MessageRouter,
  engine: ExecutionEngine,
  options: UserMessageRouteOptions = {},
): void {
  const maxTextLength = options.maxTextLength ?? 8000;
  router.on<UserMessagePayload>(
    'user_message',
    (payload, context): Promise<RunOutcome> =>
      engine.execute(
        context.user,
        options.agent === undefined
          ? { input: payload.text }
          : { input: payload.text, agent: options.agent },
      ),
    {
      validate: (payload) => {
        const text = (payload as Partial<UserMessagePayload> | null)?.text;
        if (typeof text !== 'string' || text.trim().length === 0)
          return 'user_message needs { text: non-empty string }.';
        return text.length <= maxTextLength || `text is longer than ${maxTextLength} characters.`;
      },
    },
  );
}
