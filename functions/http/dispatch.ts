import type { Context } from 'aws-lambda';
import { aliasParameters, findRoute, type RouteKey } from '#functions/routes';
import { type ApiEvent, type ApiResult, json } from './api';

type RouteHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/**
 * A route group's Lambda: API Gateway names the route in `routeKey`; hand it to its handler. A
 * deprecated alias (`aliasOf` in the route table) goes to its route's handler, its path
 * parameters renamed to that route's.
 */
export const dispatch =
  (handlers: Partial<Record<RouteKey, RouteHandler>>) =>
  async (event: ApiEvent, context: Context): Promise<ApiResult> => {
    const handler = handlers[event.routeKey as RouteKey];
    if (handler) return handler(event, context);
    const alias = findRoute(event.routeKey);
    const target = alias?.aliasOf && handlers[alias.aliasOf as RouteKey];
    if (!alias || !target) return json(404, { message: `No route ${event.routeKey}` });
    const names = aliasParameters(alias);
    const pathParameters = Object.fromEntries(
      Object.entries(event.pathParameters ?? {}).map(([name, value]) => [names[name] ?? name, value]),
    );
    return target({ ...event, pathParameters }, context);
  };
