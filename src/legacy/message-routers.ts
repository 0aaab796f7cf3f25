import { toUserContext, type UserContext } from '../agents/user-context';
import { deprecationCounter } from '../deprecation/index';
import { RouteError } from '../errors/route-error';
import type { WebSocketManager } from '../manager/websocket-manager';
import type { ControlFrame, InboundMessage } from '../protocol/envelope';
import type { RouteContext } from '../router/message-router';
import { resolveManager } from './resolve-manager';

/** A UWS014/UWS016 handler: the user id and the whole message. */
export type LegacyUserHandler = (userId: string, message: InboundMessage) => unknown;
/** A UWS015 handler: the user context and the whole message. */
export type LegacyContextHandler = (ctx: Readonly<UserContext>, message: InboundMessage) => unknown;

function routeContext(manager: WebSocketManager, ctx: UserContext | string): RouteContext {
  const user = toUserContext(ctx);
  return { userId: user.userId, user, channel: manager.forUser(user), connectionId: 'legacy' };
}

function answer(frame: ControlFrame | undefined): unknown {
  if (frame?.type === 'error') throw new RouteError(frame);
  return frame?.type === 'ack' ? frame.payload : undefined;
}

const useUws014 = deprecationCounter('UWS014');
const useUws015 = deprecationCounter('UWS015');

/**
 * UWS014 (and UWS016, the same class object): handlers are registered on the manager's one
 * router, so two legacy routers can no longer split the traffic (a duplicate type is an error).
 */
export class MessageRouter {
  constructor(private readonly manager?: WebSocketManager) {}

  addHandler(type: string, handler: LegacyUserHandler): this {
    useUws014();
    resolveManager(this.manager).router.on(type, (_payload, context) =>
      handler(context.userId, context.message),
    );
    return this;
  }

  /** Routes a raw frame for a user; rejects with RouteError when the router answers an error. */
  async routeMessage(userId: string, raw: string): Promise<void> {
    useUws014();
    const manager = resolveManager(this.manager);
    answer(await manager.router.route(routeContext(manager, userId), raw));
  }
}

/** UWS015: register/route with user contexts, on the manager's one router. */
export class WebSocketMessageRouter {
  constructor(private readonly manager?: WebSocketManager) {}

  register(type: string, handler: LegacyContextHandler): this {
    useUws015();
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
    useUws015();
    const manager = resolveManager(this.manager);
    return answer(
      await manager.router.dispatch(routeContext(manager, ctx), {
        ...message,
        id: message.id ?? 'legacy',
      }),
    );
  }
}
