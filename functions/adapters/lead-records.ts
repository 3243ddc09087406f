import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEmail } from '#domain/correspondence';
import { Conflict } from '#domain/errors';
import type { Lead, LeadStatus } from '#domain/lead';
import type { EngineeringReview, Opportunity, QualifiedLead } from '#domain/opportunity';
import { findableLead, findableOpportunity } from '#domain/search';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { AlreadyRecorded, db, type TransactItems, writeTogether } from './dynamodb';
import { emailHash, personKeys } from './person-key';
import { cursorContent, encodeCursor, findTermPuts, listKeys } from './search-records';
import { indexKeys, itemKind, keys, tableDesign } from './table-design';
import {
  appendToTimeline,
  emailPut,
  fromItem,
  type Item,
  type Put,
  putNew,
  readItem,
  readRecord,
  timelinePut,
  withHistory,
} from './table-items';

/**
 * The leads and opportunities in the single table, with the emails queued for them. Every write
 * that creates a record also writes its timeline entry and its outgoing emails in the same
 * transaction, so none of them exists without the others (R27).
 */

/** The index keys a lead item carries (status, owner, person, list), as every write of it sets them. */
export const leadIndexKeys = (lead: Pick<Lead, 'status' | 'owner' | 'createdAt' | 'id' | 'contact'>) => ({
  ...indexKeys.leadsByStatus(lead),
  ...indexKeys.ownersLeads(lead),
  ...personKeys(lead.contact.email, keys.lead(lead.id)),
  ...listKeys('lead', lead),
});

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
        ...indexKeys.ownersOpportunities(opportunity),
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

// ---- accounts (routing only, for now) ----------------------------------------------------------

export const findAccountOwner = async (id: string): Promise<string | undefined> =>
  (await readRecord<{ ownerEmail?: string }>(keys.account(id)))?.ownerEmail;
