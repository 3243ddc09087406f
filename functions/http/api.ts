import middy, { type MiddlewareObj } from '@middy/core';
import jsonBodyParser from '@middy/http-json-body-parser';
import urlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
// zod/mini has no messages of its own: every route refuses in the same English words (see the module).
import '#contract/messages';
import { isPassingFault } from '#adapters/dynamodb';
import { enrolPerson, findPerson, managersOf } from '#adapters/people-records';
import { escapeHtml } from '#domain/correspondence';
import { Conflict, Gone, NotAllowed, NotFound } from '#domain/errors';
import { actsFor, notTheirs } from '#domain/people';
import { type Caller, groupsFromClaim, hasAnyRole } from '#domain/roles';
import { logger } from '#functions/observability';
import { findRoute, maxBodyBytes, type Route, type RouteKey } from '#functions/routes';

/**
 * The one way an API route is built: the contract of docs/api.md (JSON errors naming fields by path,
 * 400/401/403/404/409/413/415, never a 5xx for what a client sent) lives here once, and each
 * route says only what it reads and what it does.
 */

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export interface FieldError {
  path: string;
  message: string;
}

/** A refusal the client should hear about, with the status docs/api.md gives it. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const jsonHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode: status,
  headers: { ...jsonHeaders, ...headers },
  body: JSON.stringify(body),
});

const fieldErrors = (error: z.core.$ZodError, prefix: string[] = []): FieldError[] =>
  error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.') || '(body)',
    message: issue.message,
  }));

/** A PDF to read in the browser: inline, never cached by anyone but the reader. */
export const pdf = (filename: string, bytes: Uint8Array): ApiResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'application/pdf',
    'content-disposition': `inline; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  },
  body: Buffer.from(bytes).toString('base64'),
  isBase64Encoded: true,
});

/** Parse with a schema, or refuse with 400 naming every field at fault. */
export const parseOr400 = <S extends z.core.$ZodType>(schema: S, value: unknown, prefix: string[], what: string): z.output<S> => {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new Problem(400, `Invalid ${what}`, fieldErrors(result.error, prefix));
  return result.data;
};

/** A browser navigating (a form post without JavaScript, an emailed link) rather than a script. */
export const wantsPage = (event: ApiEvent) => /\btext\/html\b/.test(event.headers?.accept ?? '');

export const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'referrer-policy': 'no-referrer',
};

/** 303 See Other: where a browser goes after a form post that worked. */
export const seeOther = (location: string): ApiResult => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
});

/** "contact.email" reads as "Contact email"; "lines.0.quantity" as "Lines quantity (row 1)". */
const fieldName = (path: string) => {
  const parts = path.split('.');
  const row = parts.find((part) => /^\d+$/.test(part));
  const words = parts
    .filter((part) => !/^\d+$/.test(part))
    .join(' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${row !== undefined ? ` (row ${Number(row) + 1})` : ''}`;
};

/** The same refusal, as a page: a person without JavaScript reads what to correct and goes back. */
const problemPage = (status: number, message: string, errors: FieldError[] | undefined, event: ApiEvent): ApiResult => {
  const back = event.headers?.referer && /^https?:\/\//.test(event.headers.referer) ? event.headers.referer : undefined;
  const title = status === 400 ? 'Please check the form' : status === 410 ? 'This link has been used or has expired' : message;
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}` +
    `.errors{border:2px solid #a4161a;border-radius:6px;padding:.5rem 1rem}li{color:#a4161a;font-weight:600}a{color:#0b5cad}</style></head><body>` +
    `<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>` +
    (errors?.length
      ? `<div class="errors" role="alert"><ul>${errors.map((e) => `<li>${escapeHtml(fieldName(e.path))} ${escapeHtml(e.message)}</li>`).join('')}</ul></div>`
      : '') +
    (back ? `<p><a href="${escapeHtml(back)}">Go back to the form</a>; what you typed is still there.</p>` : '') +
    `</main></body></html>`;
  return { statusCode: status, headers: htmlHeaders, body };
};

/** Maps anything thrown to the response docs/api.md promises; unknown faults are 500s, and logged. */
const toResponse = (error: unknown, event: ApiEvent): ApiResult => {
  const answer = jsonResponse(error, event);
  if (!wantsPage(event) || answer.statusCode === undefined || answer.statusCode < 400) return answer;
  const { message, errors } = JSON.parse(answer.body ?? '{}') as { message: string; errors?: FieldError[] };
  const page = problemPage(answer.statusCode, message, errors, event);
  return { ...page, headers: { ...answer.headers, ...page.headers } };
};

const jsonResponse = (error: unknown, event: ApiEvent): ApiResult => {
  if (error instanceof Problem) {
    return json(error.status, { message: error.message, ...(error.errors ? { errors: error.errors } : {}) }, error.headers);
  }
  if (error instanceof NotFound) return json(404, { message: error.message });
  if (error instanceof Conflict) return json(409, { message: error.message });
  if (error instanceof NotAllowed) return json(403, { message: error.message });
  if (error instanceof Gone) return json(410, { message: error.message });
  const name = error instanceof Error ? error.name : 'UnknownError';
  // middy's body parsers: malformed JSON and forbidden keys (__proto__) are the client's fault.
  if (error && typeof error === 'object' && 'statusCode' in error && (error as { expose?: boolean }).expose) {
    const status = Number((error as { statusCode: number }).statusCode);
    const message = String((error as { message?: unknown }).message);
    if (status === 422) return json(400, { message: `Malformed request body: ${message}` });
    return json(status, { message });
  }
  if (isPassingFault(error)) {
    // Names only: an SDK error's message can quote the request.
    logger.warn('passing fault', { routeKey: event.routeKey, errorName: name });
    return json(503, { message: 'Busy or briefly unavailable; try again shortly with the same Idempotency-Key.' }, { 'retry-after': '2' });
  }
  logger.error('unhandled fault', { routeKey: event.routeKey, errorName: name, error: error as Error });
  return json(500, { message: 'Internal error; nothing was recorded', requestId: event.requestContext?.requestId });
};

/**
 * The caller, as API Gateway's JWT authorizer (or its local stand-in) left it in the event: who
 * they are is their `sub` in the people directory; the email claim only enrols a first-timer.
 * API Gateway hands every claim on as a string, so `email_verified` may be "true".
 */
const callerOf = async (event: ApiEvent, route: Route): Promise<Caller> => {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const sub = typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined;
  const email = typeof claims.email === 'string' && claims.email ? claims.email.toLowerCase() : undefined;
  if (!sub || !email) throw new Problem(401, 'Sign in: this route needs a bearer token naming you (sub and email)');
  if (String(claims.email_verified) !== 'true') throw new Problem(403, 'Your email address is not verified: verify it, then sign in again');
  const roles = groupsFromClaim(claims['cognito:groups']);
  // R28: no group, no access; checked before the directory, so a refusal writes nothing.
  if (roles.length === 0) throw new Problem(403, 'You have no role in salesflow (no group): ask an administrator');
  if (!route.access.public && !hasAnyRole({ email, roles }, route.access.roles)) {
    throw new Problem(403, `Only ${route.access.roles.join(' or ')} may do this`);
  }
  const person =
    (await findPerson(sub)) ??
    (await enrolPerson({ sub, email, name: typeof claims.name === 'string' && claims.name ? claims.name : email, roles }));
  return { sub, email: person.email, roles };
};

/** R28: the route table says who may call; the handler checks again, behind the authorizer. */
const authorize = (route: Route): MiddlewareObj<ApiEvent, ApiResult, Error, Context & { caller?: Caller }> => ({
  before: async (request) => {
    if (route.access.public) return;
    request.context.caller = await callerOf(request.event, route);
  },
});

/**
 * The access policy's owner rule (functions/routes): a role the route lists under `ownRecords`
 * acts only on what its holder owns, or what the people they manage own; the route's other roles
 * act on any record. `named` are the people a step names (an approver reading their quote).
 */
const actsOnAny = (route: Route, caller: Caller | undefined): boolean => {
  if (route.access.public || !caller) return true;
  const { roles, ownRecords = [] } = route.access;
  return caller.roles.some((role) => roles.includes(role) && !ownRecords.includes(role));
};

const ownerRule =
  (route: Route, caller: Caller | undefined) =>
  async (owner: string, what: string, named: readonly string[] = []): Promise<void> => {
    if (!caller || actsOnAny(route, caller)) return;
    const managers = await managersOf(owner.toLowerCase());
    if (!route.access.public && route.access.managersOnly && !managers.includes(caller.email)) {
      throw new NotAllowed(`Only the owner's managers or the MD may do this: ${what} belongs to ${owner}`);
    }
    if (
      !actsFor(
        caller,
        owner,
        managers,
        named.map((n) => n.toLowerCase()),
      )
    ) {
      throw notTheirs(caller, what, owner);
    }
  };

const jsonType = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
const formType = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** 413 and 415 before any parsing, so an oversized or foreign body costs nothing. */
const bodyGuard = (route: Route): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: ({ event }) => {
    const body = event.body ?? '';
    const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body);
    if (bytes > maxBodyBytes) throw new Problem(413, `Body is over ${maxBodyBytes / 1024} KiB`);
    const type = event.headers?.['content-type'] ?? '';
    const accepted = jsonType.test(type) || (route.acceptsForm === true && formType.test(type));
    if (!accepted) {
      throw new Problem(415, `Content-Type must be application/json${route.acceptsForm ? ' or application/x-www-form-urlencoded' : ''}`);
    }
    if (!body) throw new Problem(400, 'A request body is required');
  },
});

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  path: P;
  caller: Caller | undefined;
  /** Refuses (403, naming the rule) unless the caller may act on a record `owner` owns. */
  actOn: (owner: string, what: string, named?: readonly string[]) => Promise<void>;
  /** The caller holds a role the route lets act on anyone's records (lists need not be their own). */
  actsOnAny: boolean;
  event: ApiEvent;
  context: Context;
}

export interface RouteSpec<B extends z.core.$ZodType, Q extends z.core.$ZodType, P extends z.core.$ZodType> {
  route: RouteKey;
  body?: B;
  query?: Q;
  path?: P;
  /** For routes that accept HTML form posts: turns the flat form fields into the body's shape. */
  fromForm?: (fields: Record<string, string | string[] | undefined>) => unknown;
  /** Extra middlewares that run after validation, right around the action (idempotency). */
  around?: MiddlewareObj<ApiEvent, ApiResult>[];
}

/** Builds a route's handler: authorize, guard and parse the body, validate, act, answer. */
export const apiRoute = <
  B extends z.core.$ZodType = z.ZodMiniUnknown,
  Q extends z.core.$ZodType = z.ZodMiniUnknown,
  P extends z.core.$ZodType = z.ZodMiniUnknown,
>(
  spec: RouteSpec<B, Q, P>,
  action: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => Promise<ApiResult>,
) => {
  const route = findRoute(spec.route);
  if (!route) throw new Error(`${spec.route} is not in the route table`);

  type RouteContext = Context & { caller?: Caller; parsed?: { query: unknown; path: unknown } };
  const handler = middy<ApiEvent, ApiResult, Error, RouteContext>()
    .use({
      onError: (request) => {
        request.response = toResponse(request.error, request.event);
      },
    })
    .use(authorize(route));

  if (spec.body) {
    handler.use(bodyGuard(route)).use(jsonBodyParser({ disableContentTypeError: true }));
    if (route.acceptsForm) {
      handler.use(urlencodeBodyParser({ disableContentTypeError: true })).use({
        before: ({ event }) => {
          if (formType.test(event.headers?.['content-type'] ?? '') && spec.fromForm) {
            (event as { body: unknown }).body = spec.fromForm(event.body as unknown as Record<string, string>);
          }
        },
      });
    }
  }

  handler.use({
    before: ({ event, context }) => {
      // An unknown record first (404), then the query, then the body (400s).
      context.parsed = {
        path: spec.path ? parsePath(spec.path, event.pathParameters ?? {}) : {},
        query: spec.query ? parseOr400(spec.query, event.queryStringParameters ?? {}, [], 'query') : {},
      };
      if (spec.body) (event as { body: unknown }).body = parseOr400(spec.body, event.body, [], 'request body');
    },
  });
  for (const middleware of spec.around ?? []) handler.use(middleware);

  return handler.handler(async (event, context) => {
    const { query, path } = context.parsed ?? { query: {}, path: {} };
    return action({
      body: event.body as z.output<B>,
      query: query as z.output<Q>,
      path: path as z.output<P>,
      caller: context.caller,
      actOn: ownerRule(route, context.caller),
      actsOnAny: actsOnAny(route, context.caller),
      event,
      context,
    });
  });
};

/** An id that cannot exist is simply unknown: 404, not 400. */
const parsePath = <P extends z.core.$ZodType>(schema: P, params: Record<string, string | undefined>): z.output<P> => {
  const result = z.safeParse(schema, params);
  if (!result.success) throw new Problem(404, 'No such record');
  return result.data;
};
