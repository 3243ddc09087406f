import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { db } from './dynamodb';
import type { QueuedEmail } from './sales-records';
import { itemKind, keys } from './table-design';

/** The mail delivery function's view of a queued email: read it, then mark how it went. */

export const readQueuedEmail = async (key: { pk: string; sk: string }): Promise<QueuedEmail | undefined> => {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return Item as QueuedEmail | undefined;
};

/** Sent: the email and its timeline entry, together; a second delivery of the record changes nothing. */
export const markSent = async (
  key: { pk: string; sk: string },
  messageId: string,
  entry: TimelineEntry,
): Promise<void> => {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: key,
            UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :id, attempts = attempts + :one',
            ConditionExpression: '#status = :queued',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':sent': 'sent', ':queued': 'queued', ':at': entry.at, ':id': messageId, ':one': 1 },
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

/** Given up: the email shows as failed on its record's timeline, for a person to follow up. */
export const markFailed = async (key: { pk: string; sk: string }, entry: TimelineEntry): Promise<void> => {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: key,
            UpdateExpression: 'SET #status = :failed',
            ConditionExpression: '#status = :queued',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':failed': 'failed', ':queued': 'queued' },
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
