import { randomUUID } from 'node:crypto';
import type { Role } from '#domain/roles';
import { routeGroups, routes } from '#functions/routes';
import { schedules } from '#functions/schedules';
import { mailFeedback, workers } from '#functions/workers';
import { workflows } from '#functions/workflows';
import { apiGatewayEvent } from '../infra/local/api-event';

/**
 * Every Lambda the stack deploys, read from the same tables, with one event each that makes it
 * load everything it needs and touch the table once (an unknown id: a read, then a 404 or an error).
 */
export interface BenchLambda {
  name: string;
  entry: string;
  event: () => unknown;
}

const claims = (email: string, roles: Role[]) => ({ sub: `bench-${email}`, email, email_verified: 'true', 'cognito:groups': `[${roles.join(' ')}]` });

/** A GET of an unknown record in the group if it has one, else its first route. */
const apiEvent = (group: string) => () => {
  const own = routes.filter((route) => route.group === group);
  const route = own.find((r) => r.method === 'GET' && r.path.includes('{id}')) ?? own.find((r) => r.method === 'GET') ?? own[0]!;
  const id = randomUUID();
  const path = route.path.replace('{id}', id).replace('{token}', 'v1.AAAAAAAAAAAAAAAAAAAAAA.1.AA').replace('{task}', 'contract-review');
  const roles = route.access.public ? [] : route.access.roles;
  return apiGatewayEvent({
    method: route.method,
    routeKey: `${route.method} ${route.path}`,
    path,
    pathParameters: {
      ...(route.path.includes('{id}') ? { id } : {}),
      ...(route.path.includes('{token}') ? { token: 'v1.AAAAAAAAAAAAAAAAAAAAAA.1.AA' } : {}),
      ...(route.path.includes('{task}') ? { task: 'contract-review' } : {}),
    },
    headers: { 'content-type': 'application/json' },
    ...(route.method === 'POST' ? { body: JSON.stringify({ kind: 'note', summary: 'benchmark' }) } : {}),
    ...(route.access.public ? {} : { claims: claims('bench@salesflow.example', [...roles] as Role[]) }),
  });
};

const streamEvent = (itemType: string) => () => ({
  Records: [
    {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { pk: { S: `BENCH#${randomUUID()}` }, sk: { S: 'EMAIL#x' } },
        NewImage: { itemType: { S: itemType }, orderId: { S: randomUUID() } },
        SequenceNumber: '1',
      },
    },
  ],
});

export const benchLambdas = (): BenchLambda[] => [
  ...Object.entries(routeGroups).map(([group, { entry }]) => ({ name: `${group} API`, entry, event: apiEvent(group) })),
  { name: 'mail delivery', entry: workers.mailDelivery.entry, event: streamEvent('email') },
  { name: 'service desk sync', entry: workers.serviceDeskSync.entry, event: streamEvent('service-desk-sync') },
  {
    name: 'quote steps',
    entry: workflows['quote-approval'].functions.QuoteSteps,
    event: () => ({ step: 'fail', quoteId: randomUUID(), failure: { Error: 'Bench' } }),
  },
  {
    name: 'order steps',
    entry: workflows['post-shipment'].functions.OrderSteps,
    event: () => ({ step: 'fail', orderId: randomUUID(), failure: { Error: 'Bench' } }),
  },
  ...Object.entries(schedules).map(([name, schedule]) => ({
    name,
    entry: schedule.entry,
    event: () => ({ schedule: name, tick: new Date().toISOString() }),
  })),
  {
    name: 'mail feedback',
    entry: mailFeedback.entry,
    event: () => ({ Records: [{ Sns: { Message: JSON.stringify({ eventType: 'Delivery' }), Timestamp: new Date().toISOString() } }] }),
  },
];
