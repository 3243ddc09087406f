import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { db, writeTogether } from './dynamodb';
import { readRecord, timelinePut, type QueuedEmail } from './sales-records';

/** The mail delivery function's view of a queued email: read it, then mark how it went. */

export const readQueuedEmail = (key: { pk: string; sk: string }) => readRecord<QueuedEmail>(key);

/** A document (a PDF) filed with a record under its name: what an email attaches. */
export { readDocument } from './sales-records';

/**
 * The email leaves `queued` for good (sent or failed) together with its timeline entry; the
 * condition makes a second delivery of the same stream record change nothing.
 */
const settle = async (
  key: { pk: string; sk: string },
  update: { expression: string; values: Record<string, unknown> },
  entry: TimelineEntry,
): Promise<void> => {
  await writeTogether([
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: update.expression,
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued', ...update.values },
      },
    },
    timelinePut(key.pk, entry),
  ]);
};

/** Sent: when, SES's message id, and the attempt that worked. */
export const markSent = (key: { pk: string; sk: string }, messageId: string, entry: TimelineEntry) =>
  settle(
    key,
    {
      expression: 'SET #status = :outcome, sentAt = :sentAt, messageId = :messageId, attempts = attempts + :one',
      values: { ':outcome': 'sent', ':sentAt': entry.at, ':messageId': messageId, ':one': 1 },
    },
    entry,
  );

/** Given up: the email shows as failed on its record's timeline, for a person to follow up. */
export const markFailed = (key: { pk: string; sk: string }, entry: TimelineEntry) =>
  settle(key, { expression: 'SET #status = :outcome', values: { ':outcome': 'failed' } }, entry);

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
