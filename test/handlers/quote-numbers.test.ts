import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AlreadyRecorded } from '#adapters/dynamodb';
import { recordNewQuote } from '#adapters/quote-records';
import { type Quote, quoteNumber } from '#domain/quote';
import type { TimelineEntry } from '#domain/timeline';

/**
 * Issue 16: how a quote takes its number, against a mocked table. The counter is read, then moved
 * in the quote's own transaction on condition it still holds what was read; a quote that lost the
 * number to another reads again, and a quote already written spends nothing.
 */
const table = mockClient(DynamoDBDocumentClient);
beforeEach(() => table.reset());

const compose = (sequence: number) => ({
  quote: {
    id: 'q-1',
    number: quoteNumber(2026, sequence),
    opportunityId: 'o-1',
    customer: { email: 'ann@acme.test' },
    createdAt: '2026-11-02T00:00:00.000Z',
  } as Quote,
  entry: { id: 'e-1', at: '2026-11-02T00:00:00.000Z', actor: 'sm@x.test', kind: 'quote-requested', summary: 'defined' } as TimelineEntry,
});

/** DynamoDB's refusal of a transaction, one reason per item: opportunity, quote, timeline, counter. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const counterUpdate = (call: number) =>
  table.commandCalls(TransactWriteCommand)[call]!.args[0].input.TransactItems!.find((item) => item.Update?.Key?.pk === 'COUNTER#QUOTE#2026')
    ?.Update;

describe('the quote number', () => {
  it('the first quote of the year starts the counter, on condition there is none', async () => {
    table.on(GetCommand).resolves({});
    table.on(TransactWriteCommand).resolves({});
    expect((await recordNewQuote(2026, compose, 'fp')).number).toBe('Q-2026-0001');
    expect(counterUpdate(0)).toMatchObject({
      Key: { pk: 'COUNTER#QUOTE#2026', sk: 'COUNTER' },
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':next': 1 },
    });
  });

  it('a number another quote took is read again: the next one, never the same twice', async () => {
    table
      .on(GetCommand)
      .resolvesOnce({ Item: { n: 41 } })
      .resolves({ Item: { n: 42 } });
    table
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'None', 'ConditionalCheckFailed'))
      .resolves({});
    expect((await recordNewQuote(2026, compose, 'fp')).number).toBe('Q-2026-0043');
    expect(counterUpdate(0)).toMatchObject({
      ConditionExpression: 'n = :current',
      ExpressionAttributeValues: { ':current': 41, ':next': 42 },
    });
    expect(counterUpdate(1)).toMatchObject({
      ConditionExpression: 'n = :current',
      ExpressionAttributeValues: { ':current': 42, ':next': 43 },
    });
  });

  it('a quote that exists already (a retried create) is AlreadyRecorded, however the counter moved: no number spent', async () => {
    table.on(GetCommand).resolves({ Item: { n: 7 } });
    table.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'));
    await expect(recordNewQuote(2026, compose, 'fp')).rejects.toBeInstanceOf(AlreadyRecorded);
    expect(table.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('past a dozen lost races it is a passing fault (a 503 with Retry-After), not a number given twice', async () => {
    table.on(GetCommand).resolves({ Item: { n: 7 } });
    table.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'None', 'ConditionalCheckFailed'));
    await expect(recordNewQuote(2026, compose, 'fp')).rejects.toMatchObject({ name: 'TransactionConflictException' });
    expect(table.commandCalls(TransactWriteCommand)).toHaveLength(12);
  });
});
