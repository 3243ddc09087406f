import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
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
  dynamodb.on(GetCommand).resolves({});
  dynamodb.on(PutCommand).resolves({});
});

describe('the digest job', () => {
  it('pages through the due-date index past its 1 MB pages, in every shard', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [], ConsumedCapacity: { CapacityUnits: 0.5 } })
      .on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':upTo': `${tick}~` } })
      .resolvesOnce({ Items: [due('a@x.test', '1')], LastEvaluatedKey: { pk: 'next' }, ConsumedCapacity: { CapacityUnits: 128 } })
      .resolvesOnce({ Items: [due('a@x.test', '2'), due('b@x.test', '3')], ConsumedCapacity: { CapacityUnits: 1 } });
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });
    const report = await handler({ schedule: 'weekly-digest', tick });
    expect(report).toMatchObject({ dueItems: 3, people: 2, sent: 2, pages: 5, readCapacityUnits: 130.5 });
    expect(dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues![':shard'])).toEqual([
      'DUE#0',
      'DUE#0',
      'DUE#1',
      'DUE#2',
      'DUE#3',
    ]);
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('one failed email: the others go, nothing is marked for the failed one, and the run fails for a retry', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [] }).on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':upTo': `${tick}~` } }).resolves({
      Items: [due('a@x.test', '1'), due('b@x.test', '2')],
    });
    ses
      .on(SendRawEmailCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'Throttling' }))
      .resolves({ MessageId: 'm' });
    await expect(handler({ schedule: 'weekly-digest', tick })).rejects.toThrow(/1 of 2 digests not sent/);
    const marked = dynamodb.commandCalls(PutCommand).map((c) => c.args[0].input.Item!.pk);
    expect(marked).toHaveLength(1);
  });

  it('a person already sent this tick is skipped', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [] }).on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':upTo': `${tick}~` } }).resolves({
      Items: [due('a@x.test', '1')],
    });
    dynamodb.on(GetCommand).resolves({ Item: { pk: 'PERSON#a@x.test' } });
    const report = await handler({ schedule: 'weekly-digest', tick });
    expect(report).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('an event that is not a schedule tick is refused', async () => {
    await expect(handler({ schedule: 'nightly', tick })).rejects.toThrow();
    await expect(handler({ schedule: 'weekly-digest', tick: 'monday' })).rejects.toThrow();
  });
});
