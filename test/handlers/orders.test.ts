import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { followUpSchedule, type Order, placeOrder } from '#domain/order';
import { handler } from '../../functions/orders/index';
import { call, jsonHeaders } from './requests';

const dynamodb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const production = { email: 'production@salesflow.example', roles: ['Production' as const] };

const order: Order = placeOrder(
  {
    id: 'acc-1',
    kind: 'customer',
    name: 'Acme Ltd',
    ownerEmail: 'sm.uk@salesflow.example',
    selected: false,
    servedBy: 'direct',
    orderChannel: 'standard',
    contacts: [{ name: 'Pat', email: 'pat@acme.test' }],
    createdBy: 'a',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  undefined,
  {
    accountId: 'acc-1',
    poNumber: 'PO-1',
    lines: [{ sku: 'A', description: 'B', quantity: 1, unitPrice: 10 }],
    userContact: { name: 'U', email: 'u@acme.test' },
  },
  { orderId: '7d0c1a52-3f4e-4b7a-9a51-1c2d3e4f5a6b', registrationId: 'SR-1', entryId: 'e' },
  'admin@x.test',
  '2026-11-01T00:00:00.000Z',
).order;

const ship = () =>
  call(handler, {
    method: 'POST',
    routeKey: 'POST /orders/{id}/shipment',
    path: `/orders/${order.id}/shipment`,
    pathParameters: { id: order.id },
    headers: jsonHeaders,
    body: JSON.stringify({ shippedAt: new Date(Date.now() - 86_400_000).toISOString() }),
    as: production,
  });

beforeEach(() => {
  dynamodb.reset();
  sfn.reset();
});

describe('a shipment whose workflow cannot start loses nothing', () => {
  it('the shipment stands and says so; recording it again starts the follow-ups', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...order } });
    dynamodb.on(TransactWriteCommand).resolves({});
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable' }));
    const refused = await ship();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    const [recorded, flagged] = dynamodb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems![0]!.Update!);
    expect(recorded!.ConditionExpression).toContain('attribute_exists(followUpsNotStarted)');
    expect(Object.values(flagged!.ExpressionAttributeNames!)).toContain('followUpsNotStarted');

    // The retry: the order shipped, its follow-ups not started; this time Step Functions answers.
    dynamodb.reset();
    const shipped = {
      ...order,
      status: 'shipped',
      shipment: { shippedAt: '2026-11-20T00:00:00.000Z' },
      followUpsNotStarted: { at: 'x', error: 'ServiceUnavailable' },
    };
    dynamodb.on(GetCommand).resolves({ Item: shipped });
    dynamodb.on(TransactWriteCommand).resolves({});
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:eu-west-2:123456789012:execution:salesflow-post-shipment:x' });
    const retried = await ship();
    expect(retried.status).toBe(202);
    const update = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.UpdateExpression).toMatch(/REMOVE #r0/);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!);
    expect(input).toMatchObject({ orderId: order.id, servedByWSales: false, viaDistributor: false });
    expect(Date.parse(input.schedule.deliveryCheckAt)).toBeGreaterThan(Date.now());
  });

  it('an order already shipped, with its follow-ups running, is a 409', async () => {
    const running = {
      ...order,
      status: 'shipped',
      shipment: { shippedAt: '2026-11-20T00:00:00.000Z' },
      followUps: followUpSchedule('2026-11-20T00:00:00.000Z', order.routing),
    };
    dynamodb.on(GetCommand).resolves({ Item: running });
    dynamodb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    expect((await ship()).status).toBe(409);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('reading an order reads only what its page shows (issue 18)', () => {
  it("the order, the newest page of its timeline and its emails without their bodies: never the Welcome Letter's bytes", async () => {
    dynamodb.on(GetCommand).resolves({ Item: { pk: `ORDER#${order.id}`, sk: 'ORDER', ...order } });
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    const read = await call(handler, {
      method: 'GET',
      routeKey: 'GET /orders/{id}',
      path: `/orders/${order.id}`,
      pathParameters: { id: order.id },
      as: { email: 'sales.admin@salesflow.example', roles: ['SalesAdmin'] },
    });
    expect(read.status).toBe(200);
    const queries = dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.ExpressionAttributeValues![':prefix'])).toEqual(['TL#', 'EMAIL#']);
    const [timeline, emails] = queries;
    expect(timeline).toMatchObject({ ScanIndexForward: false, Limit: 100 });
    expect(emails!.ProjectionExpression).not.toMatch(/body|html|text|attachments/);
  });
});
