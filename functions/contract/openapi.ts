import * as z from 'zod/mini';
import {
  accountPatch,
  changed,
  closeBody,
  disqualificationBody,
  leadPatch,
  mergeBody,
  merged,
  opportunityPatch,
  reassignmentBody,
  taskAdded,
  taskBody,
  taskClosed,
} from '#contract/edits';
import { accountListQuery, opportunityListQuery, orderListQuery, quoteListQuery, searchHit, searchQuery } from '#contract/lists';
import { accountBody, accountCreated } from '#functions/accounts/schemas';
import { exportPath, exportQuery } from '#functions/exports/schemas';
import { importQuery } from '#functions/imports/schemas';
import { campaignBody, campaignCreated, materialBody, materialSent, unsubscribePath } from '#functions/marketing/schemas';
import {
  deliveryAnswerBody,
  orderBody,
  orderCreated,
  orderStepBodies,
  orderStepPath,
  setPasswordBody,
  shipmentBody,
} from '#functions/orders/schemas';
import { contractBody, productBody, quoteBody, stepBodies, stepPath } from '#functions/quotes/schemas';
import { reportPath, reportQuery } from '#functions/reports/schemas';
import { aliasParameters, type RouteKey, routeKey, routes } from '#functions/routes';
import { activityBody } from '../activities/schemas';
import { leadBody, leadCreated, leadListQuery, qualificationBody, qualificationResult } from '../leads/schemas';
import { engineeringReviewBody, pipelineQuery } from '../opportunities/schemas';
import { erasureBody, personPath } from '../people/schemas';

/**
 * GET /openapi.json, built from the same route table and the same zod schemas that validate
 * requests: the document cannot drift from what the handlers accept.
 */

interface Contract {
  body?: z.ZodMiniType;
  query?: z.ZodMiniObject;
  /** Path parameters that are not ids. */
  path?: z.ZodMiniObject;
  created?: z.ZodMiniType;
  /** When the success is not 201 (POST) or 200 (GET). */
  status?: string;
  /** A body that is not JSON (a CSV file), and a success that is not JSON (a CSV download). */
  bodyType?: string;
  answerType?: string;
}

const anyStep = z.union(Object.values(stepBodies));
const anyOrderStep = z.union(Object.values(orderStepBodies));
const anyLinkAnswer = z.union([...Object.values(stepBodies), ...Object.values(orderStepBodies), deliveryAnswerBody, setPasswordBody]);
/** POST /imports: the import queued (202); with ?dryRun=true the preview (200), as docs/api.md shows. */
const importQueued = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'done']),
  chunks: z.number(),
  rows: z.number(),
  separator: z.string(),
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
});
const workflowStarted = z.object({ quoteId: z.uuid(), executionArn: z.string() });
const quoteStarted = z.extend(workflowStarted, { number: z.string().check(z.regex(/^Q-\d{4}-\d{4,}$/)) });
const product = z.extend(productBody, { updatedBy: z.string(), updatedAt: z.string() });
const shipmentStarted = z.object({ orderId: z.uuid(), executionArn: z.string() });

const contracts: Partial<Record<RouteKey, Contract>> = {
  'POST /leads': { body: leadBody, created: leadCreated },
  'GET /leads': { query: leadListQuery },
  'POST /leads/{id}/qualification': { body: qualificationBody, created: qualificationResult },
  'POST /opportunities/{id}/engineering-review': { body: engineeringReviewBody },
  'GET /pipeline': { query: pipelineQuery },
  'POST /leads/{id}/activities': { body: activityBody },
  'POST /opportunities/{id}/activities': { body: activityBody },
  'POST /accounts/{id}/activities': { body: activityBody },
  'POST /orders/{id}/activities': { body: activityBody },
  'POST /opportunities/{id}/quotes': { body: quoteBody, created: quoteStarted, status: '202' },
  'GET /products': { created: z.object({ products: z.array(product) }) },
  'POST /products': { body: productBody, created: product },
  'POST /quotes/{id}/steps/{step}': { body: anyStep, path: z.pick(stepPath, { step: true }), status: '200' },
  'POST /opportunities/{id}/contract': { body: contractBody, created: workflowStarted, status: '202' },
  'GET /actions/{token}': { path: z.object({ token: z.string() }) },
  'POST /actions/{token}': { body: anyLinkAnswer, path: z.object({ token: z.string() }), status: '200' },
  'POST /accounts': { body: accountBody, created: accountCreated },
  'POST /campaigns': { body: campaignBody, created: campaignCreated },
  'POST /campaigns/{id}/materials': { body: materialBody, created: materialSent, status: '202' },
  'GET /unsubscribe/{token}': { path: unsubscribePath },
  'POST /unsubscribe/{token}': { path: unsubscribePath, status: '200' },
  'POST /orders': { body: orderBody, created: orderCreated },
  'POST /orders/{id}/shipment': { body: shipmentBody, created: shipmentStarted, status: '202' },
  'POST /orders/{id}/steps/{step}': { body: anyOrderStep, path: z.pick(orderStepPath, { step: true }), status: '200' },
  'POST /imports': { body: z.string(), bodyType: 'text/csv', query: importQuery, created: importQueued, status: '202' },
  'GET /exports/{file}': { path: exportPath, query: exportQuery, answerType: 'text/csv' },
  'GET /people/{email}/data': { path: personPath },
  'POST /people/{email}/erasure': { path: personPath, body: erasureBody, status: '200' },
  'PATCH /leads/{id}': { body: leadPatch, created: changed },
  'POST /leads/{id}/reassignment': { body: reassignmentBody, created: changed, status: '200' },
  'POST /leads/{id}/disqualify': { body: disqualificationBody, created: changed, status: '200' },
  'POST /leads/{id}/merge': { body: mergeBody, created: merged, status: '200' },
  'PATCH /opportunities/{id}': { body: opportunityPatch, created: changed },
  'POST /opportunities/{id}/reassignment': { body: reassignmentBody, created: changed, status: '200' },
  'POST /opportunities/{id}/close': { body: closeBody, created: changed, status: '200' },
  'PATCH /accounts/{id}': { body: accountPatch, created: changed },
  'POST /accounts/{id}/reassignment': { body: reassignmentBody, created: changed, status: '200' },
  'POST /tasks': { body: taskBody, created: taskAdded },
  'POST /tasks/{id}/done': { created: taskClosed, status: '200' },
  'GET /search': { query: searchQuery, created: z.object({ hits: z.array(searchHit) }) },
  'GET /accounts': { query: accountListQuery },
  'GET /opportunities': { query: opportunityListQuery },
  'GET /quotes': { query: quoteListQuery },
  'GET /orders': { query: orderListQuery },
  'GET /reports/{name}': { path: reportPath, query: reportQuery },
};

const problem = z.object({
  message: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

const schemaOf = (schema: z.ZodMiniType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const errorStatuses: Record<string, string> = {
  '400': 'Bad JSON or fields; `errors` names each field by its path',
  '401': 'No or bad token',
  '403': 'Wrong role or person, or a forged link',
  '404': 'Unknown id',
  '409': 'State conflict: already decided, not at that step; or changed by someone else since the If-Match version was read',
  '410': 'A used, expired or replaced link',
  '413': 'Body over 64 KiB',
  '415': 'Not application/json',
  '428': 'An edit (PATCH) without If-Match: send the version you read',
  '429': 'Too many requests',
  '503':
    'A passing fault (the table or a service busy or unreachable): nothing is lost; retry after `Retry-After` seconds, with the same `Idempotency-Key`',
};

export const openApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    // A deprecated alias is described by its route's contract, its parameters by position.
    const contract = contracts[(route.aliasOf ?? routeKey(route)) as RouteKey] ?? {};
    const names = aliasParameters(route);
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        schema: contract.path?.shape[names[name!]!]
          ? schemaOf(contract.path.shape[names[name!]!] as z.ZodMiniType)
          : { type: 'string', format: 'uuid' },
      })),
      ...Object.entries(contract.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema: schemaOf(schema as z.ZodMiniType),
      })),
      ...(route.keyed
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Names the record this request creates: a retry with the same key and body answers as the first did and creates nothing; the same key with another body is a 409',
              schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
            },
          ]
        : []),
      ...(route.method === 'PATCH'
        ? [
            {
              name: 'If-Match',
              in: 'header',
              required: true,
              description:
                "The record's version as read (`version` in its GET, or its ETag): the change is refused with 409 if someone changed it since",
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    const contentTypes = contract.bodyType
      ? [contract.bodyType]
      : route.acceptsForm
        ? ['application/json', 'application/x-www-form-urlencoded']
        : ['application/json'];
    const success = contract.status ?? (route.method === 'POST' ? '201' : '200');
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.group],
      ...(route.aliasOf ? { deprecated: true } : {}),
      ...(route.access.public ? { security: [] } : {}),
      ...(!route.access.public
        ? {
            // The access policy (functions/routes): who, and who only on their own records.
            description: `Roles: ${route.access.roles
              .map((role) =>
                route.access.public || !route.access.ownRecords?.includes(role)
                  ? role
                  : route.access.managersOnly
                    ? `${role} (their reports' records only, not their own)`
                    : `${role} (own records and their reports')`,
              )
              .join(', ')}`,
          }
        : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(contract.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(contentTypes.map((type) => [type, { schema: schemaOf(contract.body!) }])),
            },
          }
        : {}),
      responses: {
        [success]: {
          description: 'OK',
          ...(contract.created ? { content: { 'application/json': { schema: schemaOf(contract.created) } } } : {}),
          ...(contract.answerType ? { content: { [contract.answerType]: { schema: { type: 'string' } } } } : {}),
        },
        ...Object.fromEntries(
          Object.entries(errorStatuses).map(([status, description]) => [
            status,
            { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'salesflow',
      version: '1',
      description: 'The sales process, from the first bingo card to the post-shipment check.',
    },
    security: [{ cognito: [] }],
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: schemaOf(problem) },
    },
    paths,
  };
};
