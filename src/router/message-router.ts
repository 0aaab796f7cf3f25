import type { UserContext } from '../agents/user-context';
import { RegistrationError } from '../errors/registration-error';
import { decodeInbound, errorFrame } from '../protocol/codec';
import { MANAGER_TYPES, type ControlFrame, type InboundMessage } from '../protocol/envelope';
import type { UserChannel } from '../manager/user-channel';

/** What a handler sees: the authenticated user and that user's channel, nothing wider. */
export interface RouteContext {
  readonly userId: string;
  readonly user: Readonly<UserContext>;
  readonly channel: UserChannel;
  readonly connectionId: string;
}

export interface HandlerContext extends RouteContext {
  readonly message: InboundMessage;
}

export type Handler<P = unknown> = (payload: P, context: HandlerContext) => unknown;

/**
 * Checks a payload before the handler runs: a function returning true, false or a reason, or any
 * schema object with `safeParse` (zod, valibot adapters…).
 */
export type PayloadValidator =
  | ((payload: unknown) => boolean | string)
  | { safeParse(payload: unknown): { success: boolean; error?: unknown } };

export interface HandlerOptions {
  validate?: PayloadValidator;
}

export interface MessageRouterOptions {
  /** Told about every handler that threw; the client only gets HANDLER_FAILED. Default: none. */
  onHandlerError?: (error: unknown, context: HandlerContext) => void;
}

interface Route {
  handler: Handler<never>;
  validate: PayloadValidator | undefined;
}

/** Types the manager answers itself; a handler cannot take them over. */
const RESERVED_TYPES = MANAGER_TYPES;

/**
 * The one inbound router: one handler per message `type`. Every failure becomes an error frame
 * with a code (and the request id when there was one); nothing a client sends closes its
 * connection or reaches the process as an exception.
 */
export class MessageRouter {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly options: MessageRouterOptions = {}) {}

  on<P = unknown>(type: string, handler: Handler<P>, options: HandlerOptions = {}): this {
    if (RESERVED_TYPES.has(type)) {
      throw new RegistrationError('UWS_ERR_RESERVED_TYPE', {
        message: `"${type}" is handled by the manager itself.`,
      });
    }
    if (this.routes.has(type)) {
      throw new RegistrationError('UWS_ERR_DUPLICATE_REGISTRATION', {
        message: `A handler for "${type}" is already registered.`,
      });
    }
    this.routes.set(type, { handler: handler as Handler<never>, validate: options.validate });
    return this;
  }

  off(type: string): boolean {
    return this.routes.delete(type);
  }

  has(type: string): boolean {
    return this.routes.has(type);
  }

  get types(): string[] {
    return [...this.routes.keys()];
  }

  /** Decodes a raw frame and dispatches it; resolves with the frame to answer, if any. */
  route(
    context: RouteContext,
    data: Buffer | ArrayBuffer | Buffer[] | string,
    isBinary = false,
  ): Promise<ControlFrame | undefined> {
    const decoded = decodeInbound(data, isBinary);
    return decoded.ok ? this.dispatch(context, decoded.message) : Promise.resolve(decoded.error);
  }

  /** Runs the handler of a decoded message: an `ack` (when the message had an id) or an error frame. */
  async dispatch(
    context: RouteContext,
    message: InboundMessage,
  ): Promise<ControlFrame | undefined> {
    const route = this.routes.get(message.type);
    if (!route)
      return errorFrame(
        'UNKNOWN_TYPE',
        `No handler for message type "${message.type}".`,
        message.id,
      );
    const invalid = route.validate && validationError(route.validate, message.payload);
    if (invalid) return errorFrame('INVALID_PAYLOAD', invalid, message.id);
    const handlerContext: HandlerContext = { ...context, message };
    let result: unknown;
    try {
      result = await route.handler(message.payload as never, handlerContext);
    } catch (error) {
      this.options.onHandlerError?.(error, handlerContext);
      return errorFrame('HANDLER_FAILED', `The handler for "${message.type}" failed.`, message.id);
    }
    if (message.id === undefined) return undefined;
    return result === undefined
      ? { type: 'ack', id: message.id }
      : { type: 'ack', id: message.id, payload: result };
  }
}

function validationError(validate: PayloadValidator, payload: unknown): string | undefined {
  try {
    if (typeof validate === 'function') {
      const verdict = validate(payload);
      if (verdict === true) return undefined;
      return typeof verdict === 'string'
        ? verdict
        : 'The payload is not valid for this message type.';
    }
    const parsed = validate.safeParse(payload);
    if (parsed.success) return undefined;
    return parsed.error instanceof Error
      ? parsed.error.message
      : 'The payload is not valid for this message type.';
  } catch {
    return 'The payload could not be validated.';
  }
}
