import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { aliasParameters, routeGroups, routeKey, routes } from '#functions/routes';
import { call } from './requests';

mockClient(DynamoDBDocumentClient).resolves({});

describe('the route table', () => {
  it.each(routes.map((route) => [routeKey(route), route] as const))('%s has a handler in its group', async (key, route) => {
    const { handler } = (await import(`../../${routeGroups[route.group].entry}`)) as { handler: never };
    const { body } = await call(handler, {
      method: route.method,
      routeKey: key,
      path: route.path.replace('{id}', '00000000-0000-4000-8000-000000000000'),
      pathParameters: route.path.includes('{id}') ? { id: '00000000-0000-4000-8000-000000000000' } : undefined,
    });
    expect(body?.message ?? '').not.toMatch(/^No route/);
  });
});

describe('a deprecated alias', () => {
  it('names its parameters as its route does, by position', () => {
    const alias = routes.find((route) => route.path === '/quotes/{id}/tasks/{task}')!;
    expect(alias.aliasOf).toBe('POST /quotes/{id}/steps/{step}');
    expect(aliasParameters(alias)).toEqual({ id: 'id', task: 'step' });
  });

  it("is served by its route's handler, which reads the step from {task} as from {step}", async () => {
    const { handler } = (await import('#functions/quotes/index')) as unknown as { handler: never };
    const id = '00000000-0000-4000-8000-000000000000';
    const asked = (routeKey: string, pathParameters: Record<string, string>) =>
      call(handler, {
        method: 'POST',
        routeKey,
        path: `/quotes/${id}`,
        pathParameters,
        headers: { 'content-type': 'application/json' },
        body: '{}',
        as: { email: 'admin@salesflow.example', roles: ['SalesAdmin'] },
      });
    const unknownStep = await asked('POST /quotes/{id}/tasks/{task}', { id, task: 'make-tea' });
    expect(unknownStep.status).toBe(404);
    expect(unknownStep.body?.message).not.toMatch(/^No route/);
    expect(unknownStep).toEqual(await asked('POST /quotes/{id}/steps/{step}', { id, step: 'make-tea' }));
  });
});
