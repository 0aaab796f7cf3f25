import { UnifiedWsError } from '../errors/unified-ws-error';

/** Who an action is for. `runId` names the agent run when there is one. */
export interface UserContext {
  userId: string;
  threadId?: string;
  runId?: string;
  requestId?: string;
}

/** A copy of `ctx | userId`, refusing an empty or non-string user id. */
export function copyUserContext(ctx: UserContext | string): UserContext {
  const context = typeof ctx === 'string' ? { userId: ctx } : { ...ctx };
  if (typeof context.userId !== 'string' || context.userId.length === 0) {
    throw new UnifiedWsError('UWS_ERR_INVALID_USER');
  }
  return context;
}

/** A frozen copy of `ctx | userId`, refusing an empty or non-string user id. */
export function toUserContext(ctx: UserContext | string): Readonly<UserContext> {
  return Object.freeze(copyUserContext(ctx));
}
