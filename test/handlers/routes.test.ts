import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { routeGroups, routeKey, routes } from '#functions/routes';
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
