import type { ErrorFrame } from '../protocol/envelope';
import { UnifiedWsError } from './unified-ws-error';

/** A legacy router's routeMessage/route that the one router answered with an error frame. */
export class RouteError extends UnifiedWsError {
  override name = 'RouteError' as const;

  constructor(readonly frame: ErrorFrame) {
    super('UWS_ERR_ROUTE_FAILED', { message: `${frame.code}: ${frame.message}` });
  }
}

export function isRouteError(error: unknown): error is RouteError {
  return error instanceof RouteError || (error instanceof Error && error.name === 'RouteError');
}
