import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, CampaignStats } from '#domain/campaign';
import type { OutgoingEmail } from '#domain/correspondence';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { AlreadyRecorded, db, queryPages, writeTogether } from './dynamodb';
import { emailHash } from './person-key';
import { itemKind, keys } from './table-design';
import { emailPut, putNew, readRecord, timelinePut, withHistory } from './table-items';

/** R1/R2: campaigns, their lead counters, and the addresses that get no bulk mail. */

export const recordNewCampaign = async (campaign: Campaign, entry: TimelineEntry): Promise<void> => {
  const key = keys.campaign(campaign.id);
  await writeTogether([putNew({ ...key, itemType: itemKind.campaign, ...campaign }), timelinePut(key.pk, entry)]);
};

export const campaignWithHistory = async (id: string) => {
  const key = keys.campaign(id);
  const [found, leadCount, qualifiedCount] = await Promise.all([
    withHistory<Campaign>(key.pk, key.sk),
    countCampaignLeads(id, 'LEAD'),
    countCampaignLeads(id, 'QUALIFIED'),
  ]);
  if (!found) return undefined;
  return { campaign: found.record, stats: { leadCount, qualifiedCount } satisfies CampaignStats, timeline: found.timeline };
};

/** R1: a campaign's leads (or qualified leads), counted where they are filed: a count, not a read. */
const countCampaignLeads = async (id: string, stage: 'LEAD' | 'QUALIFIED'): Promise<number> => {
  let count = 0;
  for await (const page of queryPages({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stage)',
    ExpressionAttributeValues: { ':pk': keys.campaignLeads(id), ':stage': `${stage}#` },
    Select: 'COUNT',
  })) {
    count += page.Count ?? 0;
  }
  return count;
};

export const findCampaign = (id: string) => readRecord<Campaign>(keys.campaign(id));

/** Which of these addresses get no bulk mail. */
export const suppressedAmong = async (addresses: string[]): Promise<Set<string>> => {
  const suppressed = new Set<string>();
  // Suppression keeps only a hash of the address (an erased person stays off bulk mail, unnamed).
  const byKey = new Map(
    [...new Set(addresses.map((a) => a.toLowerCase()))].map((address) => [keys.suppressed(emailHash(address)).pk, address]),
  );
  const unique = [...byKey.keys()];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100).map((pk) => ({ pk, sk: 'SUPPRESSED' })) },
    };
    while (request && Object.keys(request).length) {
      const { Responses = {}, UnprocessedKeys } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const item of Responses[tableName()] ?? []) {
        const address = byKey.get(String(item.pk));
        if (address) suppressed.add(address);
      }
      request = UnprocessedKeys as typeof request;
    }
  }
  return suppressed;
};

/** Off bulk mail for good: the first reason is kept. */
export const suppress = async (address: string, reason: 'unsubscribed' | 'bounced' | 'complained' | 'erased', at: string) => {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.suppressed(emailHash(address)), itemType: itemKind.suppressed, reason, at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
};

/** R2: the material queued for a distributor's contacts, on the distributor's timeline. */
export const recordMaterialSent = async (distributorId: string, entry: TimelineEntry, emails: OutgoingEmail[]) => {
  const pk = keys.account(distributorId).pk;
  await writeTogether([timelinePut(pk, entry), ...emails.map((email) => emailPut(pk, email, entry.at))], (failed) =>
    // An email id taken already: a keyed retry of a send that was recorded (functions/http/idempotency).
    failed.slice(1).some(Boolean) ? new AlreadyRecorded(`Material for ${distributorId} is queued already`) : undefined,
  );
};
