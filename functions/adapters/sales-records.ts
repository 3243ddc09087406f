import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEmail } from '#domain/correspondence';
import { Conflict, NotFound } from '#domain/errors';
import type { Lead, LeadStatus } from '#domain/lead';
import type { EngineeringReview, Opportunity, QualifiedLead } from '#domain/opportunity';
import { findableLead, findableOpportunity } from '#domain/search';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { AlreadyRecorded, db, queryAll, type TransactItems, writeTogether } from './dynamodb';
import { emailHash, personKeys } from './person-key';
import { cursorContent, encodeCursor, findTermPuts, listKeys } from './search-records';
import { itemKind, keys, outboxIndex, sortKeyPrefix, tableDesign } from './table-design';

/**
 * The sales records in the single table: leads, opportunities, their timelines and the emails
 * queued for them. Every write that creates a record also writes its timeline entry and its
 * outgoing emails in the same transaction, so none of them exists without the others (R27).
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

/** The index keys a lead item carries (status, owner, person, list), as every write of it sets them. */
export const leadIndexKeys = (lead: Pick<Lead, 'status' | 'owner' | 'createdAt' | 'id' | 'contact'>) => ({
  gsi1pk: keys.leadsByStatus(lead.status),
  gsi1sk: `${lead.createdAt}#${lead.id}`,
  gsi2pk: keys.owner(lead.owner),
  gsi2sk: `LEAD#${lead.status}#${lead.createdAt}#${lead.id}`,
  ...personKeys(lead.contact.email, keys.lead(lead.id)),
  ...listKeys('lead', lead),
});

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
const readItem = async (key: { pk: string; sk: string }): Promise<Item | undefined> =>
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

// ---- leads -------------------------------------------------------------------------------------

/**
 * R4/R5: the lead, its first timeline entry and the emails it causes, all or nothing. The lead's
 * id may come from an Idempotency-Key: a lead already there under it is `AlreadyRecorded`.
 */
export const recordNewLead = async (
  lead: Lead,
  entry: TimelineEntry,
  emails: OutgoingEmail[],
  requestFingerprint: string,
  /** Unconditional puts that go with it (the duplicate markers): before the campaign's check, which is last. */
  also: TransactItems = [],
): Promise<void> => {
  const pk = keys.lead(lead.id).pk;
  const today = leadOfTheDay(lead.contact.email, entry.at);
  await writeTogether(
    [
      putNew({ ...keys.lead(lead.id), itemType: itemKind.lead, ...leadIndexKeys(lead), ...lead, requestFingerprint }),
      // One lead per address a day: a repeat finds this and is folded into the lead (see RepeatedResponse).
      putNew({ ...today, itemType: itemKind.leadOfTheDay, leadId: lead.id, ttl: Math.floor(Date.parse(entry.at) / 1000) + 2 * 86_400 }),
      timelinePut(pk, entry),
      ...emails.map((email) => emailPut(pk, email, entry.at)),
      ...findTermPuts(findableLead(lead)),
      ...also,
      // R1: the campaign it came from counts it, if that campaign exists and is running today:
      // checked in the same transaction, so a good lead is still one round trip.
      ...(lead.campaignId
        ? [
            campaignLeadPut(lead.campaignId, lead.id, 'LEAD', entry.at),
            {
              ConditionCheck: {
                TableName: tableName(),
                Key: keys.campaign(lead.campaignId),
                ConditionExpression: 'attribute_exists(pk) AND startsOn <= :today AND (attribute_not_exists(endsOn) OR endsOn >= :today)',
                ExpressionAttributeValues: { ':today': entry.at.slice(0, 10) },
              },
            },
          ]
        : []),
    ],
    (failed) =>
      failed[0]
        ? new AlreadyRecorded(`Lead ${lead.id} is recorded already`)
        : failed[1]
          ? new RepeatedResponse(today)
          : lead.campaignId && failed.at(-1)
            ? new NoRunningCampaign(`No campaign ${lead.campaignId} is running`)
            : undefined,
  );
};

export const leadOfTheDay = (email: string, at: string) => keys.leadOfTheDay(emailHash(email), at.slice(0, 10));

/** The address made a lead today already: this response is folded into that lead. */
export class RepeatedResponse extends Error {
  override readonly name = 'RepeatedResponse';
  constructor(readonly key: { pk: string; sk: string }) {
    super('The address made a lead today already');
  }
}

/** The lead a repeated response is folded into: its timeline says so, and nobody is emailed again. */
export const foldRepeatedResponse = async (repeat: RepeatedResponse, entry: TimelineEntry): Promise<Lead | undefined> => {
  const leadId = (await readItem(repeat.key))?.leadId as string | undefined;
  const lead = leadId ? await findLead(leadId) : undefined;
  if (!lead) return undefined;
  await appendToTimeline('leads', lead.id, entry);
  return lead;
};

/** The campaign a lead named does not exist or is not running (R1): it counts for none. */
export class NoRunningCampaign extends Error {
  override readonly name = 'NoRunningCampaign';
}

/** R1: the lead counted for its campaign (see keys.campaignLead); a second count changes nothing. */
const campaignLeadPut = (campaignId: string, leadId: string, stage: 'LEAD' | 'QUALIFIED', at: string): Put => ({
  Put: { TableName: tableName(), Item: { ...keys.campaignLead(campaignId, leadId, stage), itemType: itemKind.campaignLead, at } },
});

export const findLead = (id: string) => readRecord<Lead>(keys.lead(id));

export const leadWithHistory = async (id: string) => {
  const found = await withHistory<Lead>(keys.lead(id).pk, keys.lead(id).sk);
  return found && { lead: found.record, timeline: found.timeline, emails: found.emails };
};

export interface LeadPage {
  leads: Lead[];
  /** Opaque; pass back as `cursor` for the next page. Absent on the last page. */
  nextCursor?: string;
}

/** The cursor must belong to the same query, or DynamoDB would refuse it; refuse it first. */
const decodeCursor = (cursor: string | undefined, indexPk: { name: string; value: string }): Item | undefined => {
  if (!cursor) return undefined;
  const key = cursorContent(cursor);
  if (!key || typeof key !== 'object' || (key as Item)[indexPk.name] !== indexPk.value) {
    throw new InvalidCursor('cursor does not belong to this list');
  }
  return key as Item;
};

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
}

/**
 * Leads by status (gsi1), or by owner and optionally status (gsi2); newest first. Dates narrow the
 * key range where the index sorts by date (a status's partition, an owner's leads of one status);
 * channel and campaign are read through, so a page may come back short with a cursor.
 */
export const listLeads = async (filter: {
  status?: LeadStatus;
  owner?: string;
  channel?: string;
  campaignId?: string;
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  cursor?: string;
}): Promise<LeadPage> => {
  const [index1, index2] = tableDesign.indexes;
  const from = filter.createdFrom ?? '';
  const to = `${filter.createdTo ?? '9999'}~`;
  const dated = Boolean(filter.createdFrom || filter.createdTo);
  const sortPrefix = filter.owner ? (filter.status ? `LEAD#${filter.status}#` : undefined) : '';
  const byKeyRange = dated && sortPrefix !== undefined;
  const conditions = [
    ...(filter.channel ? ['#channel = :channel'] : []),
    ...(filter.campaignId ? ['#campaign = :campaign'] : []),
    ...(dated && !byKeyRange ? ['#createdAt BETWEEN :from AND :to'] : []),
  ];
  const filterNames = {
    ...(filter.channel ? { '#channel': 'channel' } : {}),
    ...(filter.campaignId ? { '#campaign': 'campaignId' } : {}),
    ...(dated && !byKeyRange ? { '#createdAt': 'createdAt' } : {}),
  };
  const filterValues = {
    ...(filter.channel ? { ':channel': filter.channel } : {}),
    ...(filter.campaignId ? { ':campaign': filter.campaignId } : {}),
  };
  const range = byKeyRange ? { ':from': `${sortPrefix}${from}`, ':to': `${sortPrefix}${to}` } : dated ? { ':from': from, ':to': to } : {};
  const query: Omit<QueryCommandInput, 'ExclusiveStartKey'> & { pkName: string; pkValue: string } = filter.owner
    ? {
        TableName: tableName(),
        IndexName: index2.name,
        KeyConditionExpression: byKeyRange ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': index2.partitionKey, '#sk': index2.sortKey, ...filterNames },
        ExpressionAttributeValues: {
          ':pk': keys.owner(filter.owner),
          ...(byKeyRange ? {} : { ':prefix': filter.status ? `LEAD#${filter.status}#` : 'LEAD#' }),
          ...range,
          ...filterValues,
        },
        pkName: index2.partitionKey,
        pkValue: keys.owner(filter.owner),
      }
    : {
        TableName: tableName(),
        IndexName: index1.name,
        KeyConditionExpression: byKeyRange ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index1.partitionKey, ...(byKeyRange ? { '#sk': index1.sortKey } : {}), ...filterNames },
        ExpressionAttributeValues: { ':pk': keys.leadsByStatus(filter.status ?? 'suspect'), ...range, ...filterValues },
        pkName: index1.partitionKey,
        pkValue: keys.leadsByStatus(filter.status ?? 'suspect'),
      };
  const { pkName, pkValue, ...input } = query;
  const page = await db().send(
    new QueryCommand({
      ...input,
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
      ScanIndexForward: false,
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor, { name: pkName, value: pkValue }),
    }),
  );
  return {
    leads: (page.Items ?? []).map((item) => fromItem<Lead>(item)),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  };
};

/** R9/R10: the lead becomes a prospect and the opportunity opens, unless someone got there first. */
export const recordQualification = async (lead: Lead, qualified: QualifiedLead, emails: OutgoingEmail[]): Promise<void> => {
  const { opportunity } = qualified;
  const prospect: Lead = { ...lead, status: 'prospect', opportunityId: opportunity.id, updatedAt: opportunity.createdAt };
  const oppPk = keys.opportunity(opportunity.id).pk;
  await writeTogether(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.lead(lead.id), itemType: itemKind.lead, ...leadIndexKeys(prospect), ...prospect },
          ConditionExpression: '#status = :suspect',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':suspect': 'suspect' },
        },
      },
      timelinePut(keys.lead(lead.id).pk, qualified.leadEntry),
      putNew({
        ...keys.opportunity(opportunity.id),
        itemType: itemKind.opportunity,
        gsi2pk: keys.owner(opportunity.owner),
        gsi2sk: `OPP#${opportunity.status}#${opportunity.createdAt}#${opportunity.id}`,
        ...listKeys('opportunity', opportunity),
        ...opportunity,
      }),
      ...qualified.opportunityEntries.map((entry) => timelinePut(oppPk, entry)),
      ...emails.map((email) => emailPut(oppPk, email, opportunity.createdAt)),
      ...(lead.campaignId ? [campaignLeadPut(lead.campaignId, lead.id, 'QUALIFIED', opportunity.createdAt)] : []),
      ...findTermPuts(findableOpportunity(opportunity, lead.contact)),
    ],
    ([failed]) => (failed ? new Conflict(`Lead ${lead.id} was qualified meanwhile`) : undefined),
  );
};

// ---- opportunities -----------------------------------------------------------------------------

export const findOpportunity = (id: string) => readRecord<Opportunity>(keys.opportunity(id));

export const opportunityWithHistory = async (id: string) => {
  const found = await withHistory<Opportunity>(keys.opportunity(id).pk, keys.opportunity(id).sk);
  return found && { opportunity: found.record, timeline: found.timeline, emails: found.emails };
};

/** R10: Engineering's advice is filed once; a second one finds the review already given. */
export const recordEngineeringReview = async (
  opportunity: Opportunity,
  review: EngineeringReview,
  entry: TimelineEntry,
  emails: OutgoingEmail[],
): Promise<void> => {
  const pk = keys.opportunity(opportunity.id).pk;
  await writeTogether(
    [
      {
        Update: {
          TableName: tableName(),
          Key: keys.opportunity(opportunity.id),
          UpdateExpression: 'SET engineeringReview = :review, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND engineeringReview.#status <> :given',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':review': review, ':now': entry.at, ':given': 'given' },
        },
      },
      timelinePut(pk, entry),
      ...emails.map((email) => emailPut(pk, email, entry.at)),
    ],
    ([failed]) => (failed ? new Conflict(`Engineering already reviewed opportunity ${opportunity.id}`) : undefined),
  );
};

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

// ---- accounts (routing only, for now) ----------------------------------------------------------

export const findAccountOwner = async (id: string): Promise<string | undefined> =>
  (await readRecord<{ ownerEmail?: string }>(keys.account(id)))?.ownerEmail;

/** GET /health: a strongly consistent read of a key that is never written. */
export const probeTable = async (): Promise<void> => {
  await db().send(new GetCommand({ TableName: tableName(), Key: keys.health() }));
};
