import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

/** The HTTP API payload v2.0 event API Gateway gives a Lambda, built from a plain request. */
export interface PlainRequest {
  method: string;
  /** The route table's key, e.g. "GET /leads/{id}". */
  routeKey: string;
  path: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: Buffer | string;
  claims?: Record<string, unknown>;
  sourceIp?: string;
  host?: string;
}

const textual = /^(application\/(json|x-www-form-urlencoded|xml|[a-z0-9.+-]+\+json)|text\/)/i;

export const apiGatewayEvent = (request: PlainRequest): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [name, value] of new URLSearchParams(request.rawQueryString ?? '')) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const raw = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  const isText = textual.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const host = request.host ?? headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQueryString ?? '',
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(request.pathParameters && Object.keys(request.pathParameters).length ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: request.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: (request.claims ?? {}) as Record<string, string>, scopes: [] },
      },
    },
    ...(raw?.length ? { body: isText ? raw.toString('utf8') : raw.toString('base64') } : {}),
    isBase64Encoded: Boolean(raw?.length) && !isText,
  };
};

/** A Lambda context for a function of the given name, with a deadline like Lambda's. */
export const lambdaContext = (functionName: string, timeoutMillis = 29_000): Context => {
  const deadline = Date.now() + timeoutMillis;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
