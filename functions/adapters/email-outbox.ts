import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEmail } from '#domain/correspondence';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { conditionHeld, db, writeTogether } from './dynamodb';
import { outboxIndex } from './table-design';
import { emailPut, type QueuedEmail, readRecord, timelinePut } from './table-items';

/**
 * The outbox: every email salesflow sends is an item filed under its record, and only the mail
 * delivery function sends it. An email goes queued -> sending (a claim) -> sent, or on a fault
 * -> retrying (with the time of its next attempt on the outbox index) -> ... -> failed.
 */

type Key = { pk: string; sk: string };

export const readQueuedEmail = (key: Key) => readRecord<QueuedEmail>(key);

/** A document (a PDF) filed with a record under its name: what an email attaches. */
export { readDocument } from './table-items';

/**
 * Queues an email on its own, outside a record's transaction (a workflow step's email). Its id is
 * stable for the step, so a retried step finds it queued and queues nothing twice.
 */
export const queueEmail = async (subjectPk: string, email: OutgoingEmail, now: string): Promise<void> => {
  await conditionHeld(db().send(new PutCommand(emailPut(subjectPk, email, now).Put)));
};

/**
 * Claims the email for one sender before it goes to SES: a second delivery of the same stream
 * record, or the retry sweep, finds it claimed and leaves it. A claim older than `leaseMillis` is
 * a sender that died mid-send, and may be taken over. Returns false when someone else has it.
 */
export const claimEmail = async (key: Key, claim: string, now: Date, leaseMillis: number): Promise<boolean> => {
  const until = new Date(now.getTime() + leaseMillis).toISOString();
  return conditionHeld(
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        // On the retry index until settled: if this sender dies, the retry job finds it when the claim lapses.
        UpdateExpression:
          'SET #status = :sending, claim = :claim, claimedUntil = :until, nextAttemptAt = :until, #ipk = :retryPk, #isk = :retrySk',
        ConditionExpression:
          '#status = :queued OR (#status = :retrying AND nextAttemptAt <= :now) OR (#status = :sending AND claimedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status', '#ipk': outboxIndex.partitionKey, '#isk': outboxIndex.sortKey },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':queued': 'queued',
          ':retrying': 'retrying',
          ':claim': claim,
          ':now': now.toISOString(),
          ':until': until,
          ':retryPk': outboxIndex.due(key, until).gsi1pk,
          ':retrySk': outboxIndex.due(key, until).gsi1sk,
        },
      }),
    ),
  );
};

/** Only the sender holding the claim settles the email, together with its timeline entry. */
const settle = async (
  key: Key,
  claim: string,
  update: { expression: string; values: Record<string, unknown>; names?: Record<string, string>; remove?: string },
  entry: TimelineEntry,
) => {
  await writeTogether([
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: `${update.expression} REMOVE claim, claimedUntil${update.remove ? `, ${update.remove}` : ''}`,
        ConditionExpression: '#status = :sending AND claim = :claim',
        ExpressionAttributeNames: { '#status': 'status', ...update.names },
        ExpressionAttributeValues: { ':sending': 'sending', ':claim': claim, ...update.values },
      },
    },
    timelinePut(key.pk, entry),
  ]);
};

const leavesIndex = `${outboxIndex.partitionKey}, ${outboxIndex.sortKey}, nextAttemptAt`;

/** Sent: when, SES's message id, and the attempt that worked. */
export const markSent = (key: Key, claim: string, messageId: string, entry: TimelineEntry) =>
  settle(
    key,
    claim,
    {
      expression: 'SET #status = :outcome, sentAt = :sentAt, messageId = :messageId, attempts = attempts + :one',
      values: { ':outcome': 'sent', ':sentAt': entry.at, ':messageId': messageId, ':one': 1 },
      remove: leavesIndex,
    },
    entry,
  );

/**
 * Given up: the email shows as failed on its record's timeline, for a person to follow up. A dead
 * letter (not an address taken off bulk mail) is listed on the outbox index, where the redrive
 * finds it.
 */
export const markFailed = (key: Key, claim: string, entry: TimelineEntry, reason: string, deadLetter: boolean, attempts?: number) =>
  settle(
    key,
    claim,
    deadLetter
      ? {
          expression:
            'SET #status = :outcome, failedAt = :at, lastError = :reason, attempts = :attempts, #ipk = :failedPk, #isk = :failedSk',
          names: { '#ipk': outboxIndex.partitionKey, '#isk': outboxIndex.sortKey },
          values: {
            ':outcome': 'failed',
            ':attempts': attempts ?? 0,
            ':at': entry.at,
            ':reason': reason,
            ':failedPk': outboxIndex.failed,
            ':failedSk': `${entry.at}#${key.pk}#${key.sk}`,
          },
          remove: 'nextAttemptAt',
        }
      : {
          expression: 'SET #status = :outcome, failedAt = :at, lastError = :reason',
          values: { ':outcome': 'failed', ':at': entry.at, ':reason': reason },
          remove: leavesIndex,
        },
    entry,
  );

/** Not sent this time: keep the reason (an error name, never the address) and when to try again. */
export const markRetrying = async (key: Key, claim: string, next: { at: string; reason: string; counted: boolean }) => {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET #status = :retrying, nextAttemptAt = :at, lastError = :reason, #ipk = :retryPk, #isk = :retrySk${
        next.counted ? ', attempts = attempts + :one' : ', passingFaults = if_not_exists(passingFaults, :zero) + :one'
      } REMOVE claim, claimedUntil`,
      ConditionExpression: '#status = :sending AND claim = :claim',
      ExpressionAttributeNames: { '#status': 'status', '#ipk': outboxIndex.partitionKey, '#isk': outboxIndex.sortKey },
      ExpressionAttributeValues: {
        ':retrying': 'retrying',
        ':sending': 'sending',
        ':claim': claim,
        ':at': next.at,
        ':reason': next.reason,
        ':retryPk': outboxIndex.due(key, next.at).gsi1pk,
        ':retrySk': outboxIndex.due(key, next.at).gsi1sk,
        ':one': 1,
        ...(next.counted ? {} : { ':zero': 0 }),
      },
    }),
  );
};

const indexed = async (partition: string, upTo: string | undefined, limit: number): Promise<Key[]> => {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: outboxIndex.name,
      KeyConditionExpression: upTo ? '#ipk = :partition AND #isk <= :upTo' : '#ipk = :partition',
      ExpressionAttributeNames: { '#ipk': outboxIndex.partitionKey, ...(upTo ? { '#isk': outboxIndex.sortKey } : {}) },
      ExpressionAttributeValues: { ':partition': partition, ...(upTo ? { ':upTo': upTo } : {}) },
      ProjectionExpression: 'pk, sk',
      Limit: limit,
    }),
  );
  return Items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
};

/** Emails whose next attempt is due by `now`, oldest first in each shard. */
export const emailsDueForRetry = async (now: Date, limit: number): Promise<Key[]> => {
  const shards = Array.from({ length: outboxIndex.shards }, (_, shard) => outboxIndex.retrying(shard));
  const perShard = await Promise.all(shards.map((partition) => indexed(partition, outboxIndex.upTo(now.toISOString()), limit)));
  return perShard.flat();
};

/** Emails given up on, oldest first: the outbox's dead letters. */
export const failedEmails = (limit: number) => indexed(outboxIndex.failed, undefined, limit);

/** Redrive: a failed email is queued for a fresh round of attempts, due at once. */
export const requeueFailed = (key: Key, now: string): Promise<boolean> =>
  conditionHeld(
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression:
          'SET #status = :retrying, nextAttemptAt = :now, retryFrom = :now, attempts = :zero, #ipk = :retryPk, #isk = :retrySk REMOVE failedAt',
        ConditionExpression: '#status = :failed',
        ExpressionAttributeNames: { '#status': 'status', '#ipk': outboxIndex.partitionKey, '#isk': outboxIndex.sortKey },
        ExpressionAttributeValues: {
          ':retrying': 'retrying',
          ':failed': 'failed',
          ':now': now,
          ':zero': 0,
          ':retryPk': outboxIndex.due(key, now).gsi1pk,
          ':retrySk': outboxIndex.due(key, now).gsi1sk,
        },
      }),
    ),
  );
