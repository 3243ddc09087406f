import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { isPassingFault } from '#adapters/dynamodb';
import { DealMoved, readDeal, readRecordItem, recordDealChange } from '#adapters/rollup-records';
import { itemKind, keys } from '#adapters/table-design';
import {
  campaignSnapshot,
  countChanges,
  type DealContext,
  type DealState,
  dealCounts,
  isNewer,
  leadSnapshot,
  monthOf,
  opportunitySnapshot,
  orderSnapshot,
  quoteSnapshot,
  type RowChange,
} from '#domain/rollups';
import { logger } from '#functions/observability';
import { inStreamOrder } from '#functions/stream-batch';

/**
 * The reports' counters, kept from the table's stream (functions/domain/rollups says what is
 * counted). Each lead, opportunity, quote, order or campaign change is folded into its deal; the
 * difference the change makes to the deal's counts is added to the rollup rows, in the same
 * transaction as the deal's new state, under a condition on the revision read. A record
 * delivered twice finds its snapshot already there and adds nothing; an older one arriving late
 * is ignored. A record that was never delivered is recovered by `npm run rollups:rebuild`.
 */

type Image = Record<string, unknown>;

/** How one record changes its deal, given the deal as stored. */
type Fold = (deal: DealState) => Promise<DealState | undefined>;

const campaignMonthOf = async (campaignId: string | undefined): Promise<string | undefined> => {
  if (!campaignId) return undefined;
  const campaign = await readRecordItem(keys.campaign(campaignId));
  return typeof campaign?.startsOn === 'string' ? monthOf(campaign.startsOn) : undefined;
};

/** Where an opportunity came from: its lead's channel and campaign (read once, kept with the deal). */
const contextOf = async (leadId: string): Promise<DealContext> => {
  const lead = leadId ? await readRecordItem(keys.lead(leadId)) : undefined;
  const campaignId = typeof lead?.campaignId === 'string' ? lead.campaignId : undefined;
  const campaignMonth = await campaignMonthOf(campaignId);
  return {
    channel: typeof lead?.channel === 'string' ? lead.channel : 'unknown',
    ...(campaignId ? { campaignId } : {}),
    ...(campaignMonth ? { campaignMonth } : {}),
  };
};

/** A quote or order may be seen before its opportunity: the opportunity is read as it stands. */
const withOpportunity = async (deal: DealState, opportunityId: string): Promise<DealState> => {
  if (deal.opportunity) return deal;
  const item = await readRecordItem(keys.opportunity(opportunityId));
  if (!item) return deal;
  const opportunity = opportunitySnapshot(item);
  return { ...deal, opportunity, context: deal.context ?? (await contextOf(opportunity.leadId)) };
};

/** The records the reports count, by their sort key. */
const countedKinds: Record<string, string> = {
  LEAD: itemKind.lead,
  OPP: itemKind.opportunity,
  QUOTE: itemKind.quote,
  ORDER: itemKind.order,
  CAMPAIGN: itemKind.campaign,
};

/** Which deal a record belongs to, and how it changes it. Undefined: nothing the reports count. */
export const foldOf = (
  key: { pk: string; sk: string },
  image: Image | undefined,
  from?: { seq?: string; stream?: string },
): { dealPk: string; fold: Fold } | undefined => {
  const stamped = <T extends object>(snapshot: T): T =>
    from?.seq ? { ...snapshot, seq: from.seq, ...(from.stream ? { stream: from.stream } : {}) } : snapshot;
  // The stream filter goes by sort key alone; other items share those (a duplicate mark's is LEAD).
  const [kind, id, ...more] = key.pk.split('#');
  if (kind !== key.sk || !id || more.length || (image && image.itemType !== countedKinds[key.sk])) return undefined;
  switch (key.sk) {
    case 'LEAD':
      return {
        dealPk: key.pk,
        fold: async (deal) => {
          if (!image) return deal.lead && !deal.lead.removed ? { ...deal, lead: { ...deal.lead, removed: true } } : undefined;
          const lead = stamped(leadSnapshot(image));
          if (!isNewer(deal.lead, lead)) return undefined;
          const context: DealContext = deal.context ?? {
            channel: lead.channel,
            ...(lead.campaignId ? { campaignId: lead.campaignId } : {}),
          };
          if (lead.campaignId && !context.campaignMonth) {
            const campaignMonth = await campaignMonthOf(lead.campaignId);
            if (campaignMonth) context.campaignMonth = campaignMonth;
          }
          return { ...deal, lead: { ...lead, ...(deal.lead?.removed ? { removed: true } : {}) }, context };
        },
      };
    case 'OPP':
      return {
        dealPk: key.pk,
        fold: async (deal) => {
          if (!image)
            return deal.opportunity && !deal.opportunity.removed
              ? { ...deal, opportunity: { ...deal.opportunity, removed: true } }
              : undefined;
          const opportunity = stamped(opportunitySnapshot(image));
          if (!isNewer(deal.opportunity, opportunity)) return undefined;
          return { ...deal, opportunity, context: deal.context ?? (await contextOf(opportunity.leadId)) };
        },
      };
    case 'QUOTE': {
      const opportunityId = typeof image?.opportunityId === 'string' ? image.opportunityId : undefined;
      if (!image || !opportunityId) return undefined;
      return {
        dealPk: keys.opportunity(opportunityId).pk,
        fold: async (deal) => {
          const id = String(image.id);
          const before = deal.quotes[id];
          const quote = stamped(quoteSnapshot(image, before));
          if (!isNewer(before, quote)) return undefined;
          return withOpportunity({ ...deal, quotes: { ...deal.quotes, [id]: quote } }, opportunityId);
        },
      };
    }
    case 'ORDER': {
      if (!image) return undefined;
      const opportunityId = typeof image.opportunityId === 'string' ? image.opportunityId : undefined;
      return {
        dealPk: opportunityId ? keys.opportunity(opportunityId).pk : key.pk,
        fold: async (deal) => {
          const order = stamped(orderSnapshot(image));
          if (!isNewer(deal.orders[order.id], order)) return undefined;
          const next = { ...deal, orders: { ...deal.orders, [order.id]: order } };
          return opportunityId ? withOpportunity(next, opportunityId) : next;
        },
      };
    }
    case 'CAMPAIGN':
      if (!image) return undefined;
      return {
        dealPk: key.pk,
        fold: async (deal) => {
          const campaign = stamped(campaignSnapshot(image));
          return isNewer(deal.campaign, campaign) ? { ...deal, campaign } : undefined;
        },
      };
    default:
      return undefined;
  }
};

/** The campaign's row carries its name and kind beside its counters. */
const labelsFor = (deal: DealState) => (change: RowChange) =>
  deal.campaign && change.report === 'campaigns' && change.row === deal.campaign.id
    ? { name: deal.campaign.name, kind: deal.campaign.kind }
    : undefined;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Folds one record into its deal and moves the counts; read again and again if another worker moved the deal first. */
export const countRecord = async (
  key: { pk: string; sk: string },
  image: Image | undefined,
  from?: { seq?: string; stream?: string },
): Promise<'counted' | 'unchanged' | 'ignored'> => {
  const found = foldOf(key, image, from);
  if (!found) return 'ignored';
  for (let attempt = 1; ; attempt += 1) {
    const { deal, rev } = await readDeal(found.dealPk);
    const next = await found.fold(deal);
    if (!next || same(next, deal)) return 'unchanged';
    const changes = countChanges(dealCounts(deal), dealCounts(next));
    // A campaign edited keeps its name on its row even when no counter moved.
    if (next.campaign && !changes.some((change) => change.report === 'campaigns')) {
      changes.push({ report: 'campaigns', period: monthOf(next.campaign.startsOn), row: next.campaign.id, add: {} });
    }
    try {
      await recordDealChange(found.dealPk, rev, next, changes, labelsFor(next));
      return 'counted';
    } catch (error) {
      const raced = error instanceof DealMoved || isPassingFault(error);
      if (!raced || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
};

const fromStream = async (record: DynamoDBRecord): Promise<void> => {
  const key = unmarshall(record.dynamodb?.Keys as Record<string, AttributeValue>) as { pk: string; sk: string };
  const image = record.dynamodb?.NewImage ? (unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as Image) : undefined;
  const outcome = await countRecord(key, record.eventName === 'REMOVE' ? undefined : image, {
    seq: record.dynamodb?.SequenceNumber,
    stream: record.eventSourceARN,
  });
  if (outcome === 'counted') logger.debug('rollups moved', { pk: key.pk, sk: key.sk });
};

/** From the table's stream: a failure throws, and the event source retries from that record. */
export const handler = inStreamOrder(fromStream);
