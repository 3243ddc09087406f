import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEmail } from '#domain/correspondence';
import { NotFound } from '#domain/errors';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { db, queryAll, type TransactItems, writeTogether } from './dynamodb';
import { personKeys } from './person-key';
import { itemKind, keys, outboxIndex, sortKeyPrefix, tableDesign } from './table-design';

/**
 * The items of the single table as every adapter writes and reads them: a record's item without
 * the table's own attributes, a new item, a timeline entry and an email queued under its record
 * (in the same transaction as the change that causes them, so none exists without the others,
 * R27), a record read with its history, a document filed with it.
 */

export type Item = Record<string, unknown>;
export type Put = { Put: { TableName: string; Item: Item; ConditionExpression?: string } };

const bookkeeping = new Set<string>([
  // What a keyed create was asked (functions/http/idempotency): for replays, never shown.
  'requestFingerprint',
  tableDesign.partitionKey,
  tableDesign.sortKey,
  tableDesign.timeToLiveAttribute,
  'itemType',
  ...tableDesign.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
]);

/** The domain object stored in an item, without the table's own attributes. */
export const fromItem = <T>(item: Item): T => Object.fromEntries(Object.entries(item).filter(([name]) => !bookkeeping.has(name))) as T;

export const putNew = (item: Item): Put => ({
  Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});

/** A new timeline entry under its record (R27): entries are only ever added. */
export const timelinePut = (subjectPk: string, entry: TimelineEntry): Put =>
  putNew({ ...keys.timeline(subjectPk, entry.at, entry.id), itemType: itemKind.timeline, ...entry });

/** Queued emails; the table's stream hands them to the mail delivery function. */
export interface QueuedEmail extends OutgoingEmail {
  subjectPk: string;
  status: 'queued' | 'sending' | 'retrying' | 'sent' | 'failed';
  /** Attempts that failed for the email's own sake, or that worked; not SES's outages. */
  attempts: number;
  /** Attempts that met a passing fault (SES throttling, a 5xx, the network): never counted as the email's fault. */
  passingFaults?: number;
  queuedAt: string;
  /** Set by a redrive: the retry window counts from here. */
  retryFrom?: string;
  nextAttemptAt?: string;
  sentAt?: string;
  failedAt?: string;
  messageId?: string;
  lastError?: string;
}

/** An email queued under its record, in the same transaction as the change that causes it. */
export const emailPut = (subjectPk: string, email: OutgoingEmail, now: string): Put => {
  const key = keys.email(subjectPk, email.id);
  // On the outbox index from the start: the retry job is the safety net under the stream.
  const nextAttemptAt = new Date(Date.parse(now) + outboxIndex.firstAttemptGraceMillis).toISOString();
  return putNew({
    ...key,
    ...outboxIndex.due(key, nextAttemptAt),
    ...personKeys(email.to[0], key),
    itemType: itemKind.email,
    ...email,
    subjectPk,
    status: 'queued',
    attempts: 0,
    queuedAt: now,
    nextAttemptAt,
  } satisfies Item & QueuedEmail);
};

export interface History {
  timeline: TimelineEntry[];
  /** What was emailed, and whether it went: never the bodies, which can be long. */
  emails: Pick<QueuedEmail, 'id' | 'purpose' | 'to' | 'subject' | 'status' | 'attempts' | 'queuedAt' | 'sentAt'>[];
}

/** How much of a timeline a read returns: its newest entries, what a page shows first. */
export const timelinePage = 100;

/** The items of a collection under one sort-key prefix. */
const filedUnder = (
  pk: string,
  prefix: string,
  projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> },
) =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ...projection,
  });

/**
 * A record with the newest page of its timeline and a summary of the emails queued under it, read
 * at once (one round trip): only what a page shows, never the documents' bytes or the emails'
 * bodies filed in the same collection. `also` adds the items under other sort-key prefixes.
 */
export const withHistory = async <T>(
  pk: string,
  sk: string,
  also: readonly string[] = [],
): Promise<(History & { record: T; timelineComplete: boolean; items: Item[] }) | undefined> => {
  const [record, recent, emails, ...others] = await Promise.all([
    readItem({ pk, sk }),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': sortKeyPrefix.timeline },
        ScanIndexForward: false,
        Limit: timelinePage,
      }),
    ),
    filedUnder(pk, sortKeyPrefix.email, {
      ProjectionExpression: 'id, purpose, #to, subject, #status, attempts, queuedAt, sentAt',
      ExpressionAttributeNames: { '#to': 'to', '#status': 'status' },
    }),
    ...also.map((prefix) => filedUnder(pk, prefix)),
  ]);
  if (!record) return undefined;
  return {
    record: fromItem<T>(record),
    timeline: (recent.Items ?? []).reverse().map((item) => fromItem<TimelineEntry>(item)),
    timelineComplete: !recent.LastEvaluatedKey,
    emails: emails.map((item) => fromItem<History['emails'][number]>(item)),
    items: others.flat(),
  };
};

/** One item by its key, read strongly consistent, as stored. */
export const readItem = async (key: { pk: string; sk: string }): Promise<Item | undefined> =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

/** One record by its key, read strongly consistent, without the table's own attributes. */
export const readRecord = async <T>(key: { pk: string; sk: string }): Promise<T | undefined> => {
  const item = await readItem(key);
  return item ? fromItem<T>(item) : undefined;
};

/** What a keyed create of this record was asked (functions/http/idempotency), with the record. */
export const recordedRequest = async <T>(key: { pk: string; sk: string }) => {
  const item = await readItem(key);
  return item && { fingerprint: item.requestFingerprint as string | undefined, record: fromItem<T>(item) };
};

/** A document (a PDF) filed with a record under its name. */
export const readDocument = async (subjectPk: string, name: string): Promise<Uint8Array | undefined> =>
  (await readRecord<{ content?: Uint8Array }>(keys.document(subjectPk, name)))?.content;

// ---- timelines ---------------------------------------------------------------------------------

export const subjects = { leads: keys.lead, opportunities: keys.opportunity, orders: keys.order } as const;
export type SubjectKind = keyof typeof subjects;

/** R27: append an entry to a record's timeline; the record must exist. */
export const appendToTimeline = async (
  subject: SubjectKind,
  id: string,
  entry: TimelineEntry,
  extra: TransactItems = [],
): Promise<void> => {
  const key = subjects[subject](id);
  await writeTogether(
    [
      { ConditionCheck: { TableName: tableName(), Key: key, ConditionExpression: 'attribute_exists(pk)' } },
      timelinePut(key.pk, entry),
      ...extra,
    ],
    ([failed]) => (failed ? new NotFound(`No ${subject.replace(/s$/, '')} ${id}`) : undefined),
  );
};

/** GET /health: a strongly consistent read of a key that is never written. */
export const probeTable = async (): Promise<void> => {
  await db().send(new GetCommand({ TableName: tableName(), Key: keys.health() }));
};
