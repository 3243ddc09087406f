import type { Context } from 'aws-lambda';
import type { RouteKey } from '#functions/routes';
import { type ApiEvent, type ApiResult, json } from './api';

type RouteHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** A route group's Lambda: API Gateway names the route in `routeKey`; hand it to its handler. */
export const dispatch =
  (handlers: Partial<Record<RouteKey, RouteHandler>>) =>
  async (event: ApiEvent, context: Context): Promise<ApiResult> => {
    const handler = handlers[event.routeKey as RouteKey];
    return handler ? handler(event, context) : json(404, { message: `No route ${event.routeKey}` });
  };
