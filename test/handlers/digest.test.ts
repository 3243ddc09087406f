import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/cadence/digest';

const dynamodb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const tick = '2026-11-23T07:00:00.000Z';

const due = (assignee: string, accountId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: 'DUE#sm-call',
  itemType: 'due-contact',
  kind: 'sm-call',
  assignee,
  accountId,
  accountName: `Account ${accountId}`,
  every: { days: 7 },
  dueAt: '2026-11-20T07:00:00.000Z',
});

beforeEach(() => {
  dynamodb.reset();
  ses.reset();
  dynamodb.on(TransactWriteCommand).resolves({});
});

describe('the digest job', () => {
  it('pages through the due-date index past its 1 MB pages, in every shard', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [], ConsumedCapacity: { CapacityUnits: 0.5 } })
      .on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':upTo': `${tick}~` } })
      .resolvesOnce({ Items: [due('a@x.test', '1')], LastEvaluatedKey: { pk: 'next' }, ConsumedCapacity: { CapacityUnits: 128 } })
      .resolvesOnce({ Items: [due('a@x.test', '2'), due('b@x.test', '3')], ConsumedCapacity: { CapacityUnits: 1 } });
    const report = await handler({ schedule: 'weekly-digest', tick });
    expect(report).toMatchObject({ dueItems: 3, people: 2, queued: 2, pages: 5, readCapacityUnits: 130.5 });
    expect(dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues![':shard'])).toEqual([
      'DUE#0',
      'DUE#0',
      'DUE#1',
      'DUE#2',
      'DUE#3',
    ]);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('each digest goes through the outbox with its marker, in one write; SES is never called from here', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':upTo': `${tick}~` } })
      .resolves({
        Items: [due('a@x.test', '1'), due('b@x.test', '2')],
      });
    const report = await handler({ schedule: 'weekly-digest', tick });
    expect(report).toMatchObject({ queued: 2, alreadyQueued: 0 });
    const writes = dynamodb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.map((item) => item.Put!.Item!));
    for (const [marker, email] of writes) {
      expect(marker).toMatchObject({ itemType: 'digest', sk: `DIGEST#weekly-digest#${tick}` });
      expect(email).toMatchObject({ itemType: 'email', purpose: 'digest', status: 'queued', pk: marker!.pk, id: marker!.emailId });
    }
    expect(ses.calls()).toHaveLength(0);
  });

  it('a person whose digest for this tick is queued already is skipped: a rerun queues nothing twice', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':upTo': `${tick}~` } })
      .resolves({
        Items: [due('a@x.test', '1')],
      });
    dynamodb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const report = await handler({ schedule: 'weekly-digest', tick });
    expect(report).toMatchObject({ queued: 0, alreadyQueued: 1 });
  });

  it('an event that is not a schedule tick is refused', async () => {
    await expect(handler({ schedule: 'nightly', tick })).rejects.toThrow();
    await expect(handler({ schedule: 'weekly-digest', tick: 'monday' })).rejects.toThrow();
  });
});
