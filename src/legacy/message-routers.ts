import { toUserContext, type UserContext } from '../agents/user-context';
import { RouteError } from '../errors/route-error';
import type { WebSocketManager } from '../manager/websocket-manager';
import type { ControlFrame, InboundMessage } from '../protocol/envelope';
import type { RouteContext } from '../router/message-router';
import { countUse } from './counted';
import { resolveManager } from './resolve-manager';

/** A handler of the handler-table router: the user id and the whole message. */
export type LegacyUserHandler = (userId: string, message: InboundMessage) => unknown;
/** A handler of the context-passing router: the user context and the whole message. */
export type LegacyContextHandler = (ctx: Readonly<UserContext>, message: InboundMessage) => unknown;

function routeContext(manager: WebSocketManager, ctx: UserContext | string): RouteContext {
  const user = toUserContext(ctx);
  return { userId: user.userId, user, channel: manager.forUser(user), connectionId: 'legacy' };
}

function answer(frame: ControlFrame | undefined): unknown {
  if (frame?.type === 'error') throw new RouteError(frame);
  return frame?.type === 'ack' ? frame.payload : undefined;
}

/**
 * The handler-table router (and its services copy: one implementation): handlers are registered on the manager's one
 * router, so two legacy routers can no longer split the traffic (a duplicate type is an error).
 */
export class MessageRouter {
  constructor(private readonly manager?: WebSocketManager) {}

  addHandler(type: string, handler: LegacyUserHandler): this {
    countUse(this);
    resolveManager(this.manager).router.on(type, (_payload, context) =>
      handler(context.userId, context.message),
    );
    return this;
  }

  /** Routes a raw frame for a user; rejects with RouteError when the router answers an error. */
  async routeMessage(userId: string, raw: string): Promise<void> {
    countUse(this);
    const manager = resolveManager(this.manager);
    answer(await manager.router.route(routeContext(manager, userId), raw));
  }
}

/** The context-passing router: register/route with user contexts, on the manager's one router. */
export class WebSocketMessageRouter {
  constructor(private readonly manager?: WebSocketManager) {}

  register(type: string, handler: LegacyContextHandler): this {
    countUse(this);
    resolveManager(this.manager).router.on(type, (_payload, context) =>
      handler(context.user, context.message),
    );
    return this;
  }

  /**
   * Resolves with the handler's result (the router acks only messages with an id, so one is set);
   * rejects with RouteError when the router answers an error.
   */
  async route(ctx: UserContext | string, message: InboundMessage): Promise<unknown> {
    countUse(this);
    const manager = resolveManager(this.manager);
    return answer(
      await manager.router.dispatch(routeContext(manager, ctx), {
        ...message,
        id: message.id ?? 'legacy',
      }),
    );
  }
}
