import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type Route, type RouteGroup, routeGroups, routeKey, routes } from '#functions/routes';
import { apiGatewayEvent, lambdaContext } from './api-event';
import { listen } from './ports';
import { loadHandler } from './project';

/**
 * API Gateway's stand-in: an HTTP server that matches requests with the same route table the CDK
 * stack deploys, does the JWT authorizer's and the throttle's jobs, turns each request into an
 * HTTP API payload v2.0 event and calls the real handler in this process.
 */

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<unknown>;
type Verify = (token: string) => Promise<Record<string, unknown> | undefined>;

/** API Gateway's own payload limit; the handlers enforce the contract's 64 KiB themselves. */
const gatewayMaxBytes = 10 * 1024 * 1024;

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const compile = (route: Route): CompiledRoute => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
};

/**
 * Token buckets: one per route (API Gateway's rate and burst) and one per route and client IP (the
 * WAF rule's job on AWS). The client's is taken first: a client over its own limit is refused
 * without using up the route's share, so one noisy client never makes real customers wait.
 */
export const localThrottle = (clock: () => number = Date.now) => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const take = (key: string, limit: { rate: number; burst: number }, now: number, spend: boolean): boolean => {
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.rate);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    if (spend) bucket.tokens -= 1;
    return true;
  };
  return (route: Route, clientIp: string): boolean => {
    if (!route.throttle || process.env.SALESFLOW_LOCAL_THROTTLE === 'off') return true;
    const key = routeKey(route);
    const now = clock();
    if (!take(`${key} ${clientIp}`, route.throttle.perClient, now, false) || !take(key, route.throttle, now, true)) return false;
    return take(`${key} ${clientIp}`, route.throttle.perClient, now, true);
  };
};

const readBody = (request: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= gatewayMaxBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > gatewayMaxBytes ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const send = (response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
};

/** Why a request is not this machine's own (its Host or Origin names another site), if it is not. */
export const foreignCaller = (request: IncomingMessage, own: Set<string>): string | undefined => {
  if (!own.has(`http://${request.headers.host ?? ''}`)) return 'This local API answers only to its own address (Host)';
  const origin = request.headers.origin;
  if (origin !== undefined && !own.has(origin)) return 'This local API answers only to pages of its own origin (Origin)';
  return undefined;
};

export interface LocalApiGateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export const startLocalApiGateway = async (options: {
  host: string;
  port: number;
  verify: Verify;
  /** Serves anything no route matches (the web forms); returns false for the API's 404. */
  fallback?: (request: IncomingMessage, response: ServerResponse) => boolean;
}): Promise<LocalApiGateway> => {
  const compiled = routes.map(compile);
  const admit = localThrottle();
  const handlers = new Map<RouteGroup, Promise<Handler>>();
  const handlerOf = (group: RouteGroup) => {
    if (!handlers.has(group)) {
      handlers.set(group, loadHandler<Handler>(routeGroups[group].entry));
    }
    return handlers.get(group)!;
  };

  const server = createServer(async (request, response) => {
    const started = Date.now();
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 reaches this
    // server with its own Host, and a cross-site form or fetch with its own Origin. Both refused.
    const foreign = foreignCaller(request, ownOrigins());
    if (foreign) {
      send(response, 403, JSON.stringify({ message: foreign }));
      return;
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    const method = request.method ?? 'GET';
    const candidates = compiled
      .map((c) => ({ c, match: c.pattern.exec(url.pathname) }))
      .filter((m): m is { c: CompiledRoute; match: RegExpExecArray } => m.match !== null);
    const hit = candidates.find((m) => m.c.route.method === method);
    if (!hit) {
      if (options.fallback?.(request, response)) return;
      send(response, 404, JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const { route } = hit.c;
    if (!admit(route, request.socket.remoteAddress ?? 'unknown')) {
      send(response, 429, JSON.stringify({ message: 'Too Many Requests' }));
      return;
    }

    let claims: Record<string, unknown> | undefined;
    if (!route.access.public) {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      claims = token ? await options.verify(token) : undefined;
      if (!claims) {
        send(response, 401, JSON.stringify({ message: 'Unauthorized' }), { 'www-authenticate': 'Bearer' });
        return;
      }
    }

    const raw = await readBody(request);
    if (raw === 'too-large') {
      send(response, 413, JSON.stringify({ message: 'Request Entity Too Large' }));
      return;
    }

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const key = routeKey(route);
    const event = apiGatewayEvent({
      method,
      routeKey: key,
      path: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      pathParameters: Object.fromEntries(hit.c.names.map((name, i) => [name, decodeURIComponent(hit.match[i + 1]!)])),
      body: raw,
      claims,
      sourceIp: request.socket.remoteAddress,
      host: url.host,
    });
    const context = lambdaContext(`salesflow-${route.group}`);

    try {
      const result = (await (await handlerOf(route.group))(event, context)) as APIGatewayProxyStructuredResultV2;
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      response.writeHead(result.statusCode ?? 200, {
        ...(result.headers as Record<string, string>),
        ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}),
      });
      response.end(body);
    } catch (error) {
      // What API Gateway answers when the function itself fails.
      console.error(`[api] ${key} failed:`, error);
      send(response, 500, JSON.stringify({ message: 'Internal Server Error' }));
    } finally {
      if (process.env.SALESFLOW_LOCAL_ACCESS_LOG === 'on') {
        console.log(`[api] ${method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms`);
      }
    }
  });
  server.keepAliveTimeout = 5_000;
  const { url, close } = await listen(server, options.host, options.port);
  const { port } = new URL(url);
  const ownOrigins = () => new Set([options.host, 'localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${port}`));
  return { url, server, close };
};
