import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { db } from './dynamodb';
import { readRecord, type QueuedEmail } from './sales-records';
import { itemKind, keys } from './table-design';

/** The mail delivery function's view of a queued email: read it, then mark how it went. */

export const readQueuedEmail = (key: { pk: string; sk: string }) => readRecord<QueuedEmail>(key);

/**
 * The email leaves `queued` for good (sent or failed) together with its timeline entry; the
 * condition makes a second delivery of the same stream record change nothing.
 */
const settle = async (
  key: { pk: string; sk: string },
  outcome: { status: 'sent' | 'failed'; set?: Record<string, unknown>; countAttempt?: boolean },
  entry: TimelineEntry,
): Promise<void> => {
  const extra = Object.entries(outcome.set ?? {});
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: key,
            UpdateExpression: [
              'SET #status = :outcome',
              ...extra.map(([name]) => `${name} = :${name}`),
              ...(outcome.countAttempt ? ['attempts = attempts + :one'] : []),
            ].join(', '),
            ConditionExpression: '#status = :queued',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':outcome': outcome.status,
              ':queued': 'queued',
              ...(outcome.countAttempt ? { ':one': 1 } : {}),
              ...Object.fromEntries(extra.map(([name, value]) => [`:${name}`, value])),
            },
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.timeline(key.pk, entry.at, entry.id), itemType: itemKind.timeline, ...entry },
          },
        },
      ],
    }),
  );
};

/** Sent: when, and SES's message id. */
export const markSent = (key: { pk: string; sk: string }, messageId: string, entry: TimelineEntry) =>
  settle(key, { status: 'sent', set: { sentAt: entry.at, messageId }, countAttempt: true }, entry);

/** Given up: the email shows as failed on its record's timeline, for a person to follow up. */
export const markFailed = (key: { pk: string; sk: string }, entry: TimelineEntry) =>
  settle(key, { status: 'failed' }, entry);

/** Not sent this time: count the attempt and keep the reason (an error name, never the address). */
export const markAttemptFailed = async (key: { pk: string; sk: string }, reason: string): Promise<number> => {
  const { Attributes } = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET attempts = attempts + :one, lastError = :reason',
      ExpressionAttributeValues: { ':one': 1, ':reason': reason },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.attempts ?? 0);
};
