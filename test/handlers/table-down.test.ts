import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { roles } from '#domain/roles';
import { type Route, routeGroups, routeKey, routes } from '#functions/routes';
import { qualificationBody } from '../fixtures/qualification';
import { call, jsonHeaders, validLead } from './requests';

/**
 * With the table (and Step Functions) unreachable, every route answers what the contract says: a
 * 4xx for what the client sent, a 503 with Retry-After for the outage; never the bare 500 that
 * means "something we did not think of", and never a throw that API Gateway turns into one.
 */

const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
beforeAll(() => {
  mockClient(DynamoDBDocumentClient).rejects(unreachable());
  mockClient(DynamoDBClient).rejects(unreachable());
  mockClient(SFNClient).rejects(unreachable());
});

const id = '00000000-0000-4000-8000-000000000000';
const everyone = { email: 'someone@salesflow.example', roles: [...roles] };
/** Bodies the routes accept, where one is needed to reach the table at all. */
const validBodies: Record<string, unknown> = {
  'POST /leads': validLead,
  'POST /leads/{id}/qualification': qualificationBody(),
};

const request = async (route: Route, body: unknown) => {
  const { handler } = (await import(`../../${routeGroups[route.group].entry}`)) as { handler: never };
  const params = Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, name === 'task' || name === 'step' ? 'sign' : id]),
  );
  return call(handler, {
    method: route.method,
    routeKey: routeKey(route),
    path: route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!),
    pathParameters: Object.keys(params).length ? params : undefined,
    headers: jsonHeaders,
    body: route.method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    as: everyone,
  });
};

const answeredAsPromised = (result: Awaited<ReturnType<typeof request>>) => {
  expect(result.status).not.toBe(500);
  if (result.status >= 500) {
    expect(result.status).toBe(503);
    expect(Number(result.headers['retry-after'])).toBeGreaterThan(0);
  }
};

describe('the table is down', () => {
  it.each(routes.map((route) => [routeKey(route), route] as const))('%s answers a 4xx or a 503, never a 500', async (key, route) => {
    answeredAsPromised(await request(route, validBodies[key] ?? {}));
  });

  it('a lead and a qualification reach the table and get a 503 with Retry-After', async () => {
    for (const key of Object.keys(validBodies)) {
      const result = await request(routes.find((route) => routeKey(route) === key)!, validBodies[key]);
      expect(result.status).toBe(503);
    }
  });

  it('GET /health names the table as down, with a 503', async () => {
    const result = await request(routes.find((route) => routeKey(route) === 'GET /health')!, undefined);
    expect(result).toMatchObject({ status: 503, body: { status: 'unavailable', parts: { table: 'down' } } });
  });

  it('any body on any POST route is a 4xx or a 503', async () => {
    const posts = routes.filter((route) => route.method === 'POST');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.oneof(fc.jsonValue(), fc.constantFrom(...Object.values(validBodies))),
        async (route, body) => {
          answeredAsPromised(await request(route, body));
        },
      ),
      { numRuns: 150 },
    );
  });
});
