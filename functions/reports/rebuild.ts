import { DeleteCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '#adapters/dynamodb';
import { itemKind, keys } from '#adapters/table-design';
import {
  campaignSnapshot,
  type DealContext,
  type DealState,
  dealCounts,
  emptyDeal,
  leadSnapshot,
  monthOf,
  opportunitySnapshot,
  orderSnapshot,
  type QuoteSnapshot,
  quoteSnapshot,
  type StepRound,
  totalsOf,
} from '#domain/rollups';
import { tableName } from '#functions/config';

/**
 * The rollups recomputed from the records, for when the stream worker missed something (a record
 * past the stream's 24 hours on its dead-letter queue, a bug since fixed): every lead,
 * opportunity, quote, order and campaign is read (a parallel scan), each deal's counts are summed
 * afresh, and every rollup row and deal state is written whole. Run twice, it writes the same.
 * Quote steps' waits come from the opportunity's timeline (each step asked, each step done).
 *
 * Run it while the worker is caught up (its IteratorAge alarm quiet): a change that lands during
 * the scan is counted by the worker against the state written here, or missed until the next run.
 */

type Item = Record<string, unknown>;
const counted = new Set<string>([
  itemKind.lead,
  itemKind.opportunity,
  itemKind.quote,
  itemKind.order,
  itemKind.campaign,
  itemKind.rollup,
  itemKind.rollupDeal,
]);

const scanAll = async (segments = 4): Promise<Item[]> => {
  const parts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const items: Item[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db().send(
          new ScanCommand({ TableName: tableName(), Segment: segment, TotalSegments: segments, ExclusiveStartKey }),
        );
        items.push(...(page.Items ?? []).filter((item) => counted.has(String(item.itemType))));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    }),
  );
  return parts.flat();
};

const timelineOf = async (opportunityId: string): Promise<Item[]> => {
  const entries: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
        ExpressionAttributeValues: { ':pk': keys.opportunity(opportunityId).pk, ':tl': 'TL#' },
        ExclusiveStartKey,
      }),
    );
    entries.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return entries;
};

/** A quote's steps from its timeline: each "done" pairs with the first open ask of its step. */
export const stepsFromTimeline = (quote: Item, entries: Item[]): Pick<QuoteSnapshot, 'open' | 'rounds'> => {
  const mine = entries
    .filter((entry) => (entry.detail as Item | undefined)?.quoteId === quote.id)
    .sort((a, b) => String(a.at).localeCompare(String(b.at)));
  const decisions = (quote.decisions as { task: string; approver?: string; at: string }[] | undefined) ?? [];
  const asked = new Map<string, string[]>();
  const rounds: StepRound[] = [];
  for (const entry of mine) {
    const task = String((entry.detail as Item).task ?? '');
    if (entry.kind === 'quote-step-assigned') asked.set(task, [...(asked.get(task) ?? []), String(entry.at)]);
    if (entry.kind === 'quote-step') {
      const waiting = asked.get(task) ?? [];
      const askedAt = waiting.shift();
      if (!askedAt) continue;
      const approver = decisions.find((decision) => decision.task === task && decision.at === entry.at)?.approver;
      rounds.push({ step: approver ? `${task}:${approver}` : task, askedAt, doneAt: String(entry.at) });
      asked.set(task, []); // a chased step was asked again: one wait, from its first ask
    }
  }
  const open: Record<string, string> = {};
  for (const [key, task] of Object.entries((quote.tasks as Record<string, { task: string; askedAt: string }> | undefined) ?? {})) {
    open[key] = asked.get(task.task)?.[0] ?? task.askedAt;
  }
  return { open, rounds };
};

export interface Rebuilt {
  deals: number;
  rows: number;
  removedRows: number;
}

export const rebuildRollups = async (): Promise<Rebuilt> => {
  const items = await scanAll();
  const of = (kind: string) => items.filter((item) => item.itemType === kind);
  const campaignMonths = new Map(of(itemKind.campaign).map((c) => [String(c.id), monthOf(String(c.startsOn ?? c.createdAt))]));
  const leads = new Map(of(itemKind.lead).map((lead) => [String(lead.id), lead]));
  const contextOf = (lead: Item | undefined): DealContext => {
    const campaignId = typeof lead?.campaignId === 'string' ? lead.campaignId : undefined;
    const campaignMonth = campaignId ? campaignMonths.get(campaignId) : undefined;
    return {
      channel: typeof lead?.channel === 'string' ? lead.channel : 'unknown',
      ...(campaignId ? { campaignId } : {}),
      ...(campaignMonth ? { campaignMonth } : {}),
    };
  };

  const deals = new Map<string, DealState>();
  const deal = (pk: string) => deals.get(pk) ?? deals.set(pk, emptyDeal()).get(pk)!;
  for (const lead of leads.values()) {
    const state = deal(keys.lead(String(lead.id)).pk);
    state.lead = leadSnapshot(lead);
    state.context = contextOf(lead);
  }
  for (const item of of(itemKind.opportunity)) {
    const state = deal(keys.opportunity(String(item.id)).pk);
    state.opportunity = opportunitySnapshot(item);
    state.context = contextOf(leads.get(String(item.leadId)));
  }
  const quotesByOpportunity = new Map<string, Item[]>();
  for (const quote of of(itemKind.quote)) {
    const id = String(quote.opportunityId);
    quotesByOpportunity.set(id, [...(quotesByOpportunity.get(id) ?? []), quote]);
  }
  for (const [opportunityId, quotes] of quotesByOpportunity) {
    const entries = await timelineOf(opportunityId);
    const state = deal(keys.opportunity(opportunityId).pk);
    for (const quote of quotes) state.quotes[String(quote.id)] = { ...quoteSnapshot(quote), ...stepsFromTimeline(quote, entries) };
  }
  for (const order of of(itemKind.order)) {
    const pk = typeof order.opportunityId === 'string' ? keys.opportunity(order.opportunityId).pk : keys.order(String(order.id)).pk;
    deal(pk).orders[String(order.id)] = orderSnapshot(order);
  }
  for (const campaign of of(itemKind.campaign)) deal(keys.campaign(String(campaign.id)).pk).campaign = campaignSnapshot(campaign);
  // A lead or opportunity deleted since (retention, erasure) keeps the months it was counted in.
  for (const stored of of(itemKind.rollupDeal)) {
    const pk = String(stored.pk).replace(/^ROLLUP#DEAL#/, '');
    const kept = stored.deal as DealState;
    if (kept.lead?.removed && !deals.has(pk))
      deals.set(pk, { ...emptyDeal(), lead: kept.lead, ...(kept.context ? { context: kept.context } : {}) });
    if (kept.opportunity?.removed && !deals.get(pk)?.opportunity)
      deals.set(pk, { ...kept, ...deals.get(pk), opportunity: kept.opportunity });
  }

  const totals = totalsOf([...deals.values()].flatMap(dealCounts));
  const campaigns = new Map(of(itemKind.campaign).map((c) => [String(c.id), c]));
  const written = new Set<string>();
  for (const row of totals) {
    const key = keys.rollupRow(row.report, row.period, row.row);
    const campaign = row.report === 'campaigns' ? campaigns.get(row.row) : undefined;
    written.add(`${key.pk}\u0000${key.sk}`);
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...key,
          itemType: itemKind.rollup,
          report: row.report,
          period: row.period,
          ...Object.fromEntries(Object.entries(row.add).map(([field, n]) => [`n_${field}`, n])),
          ...(campaign ? { label_name: String(campaign.name ?? ''), label_kind: String(campaign.kind ?? '') } : {}),
        },
      }),
    );
  }
  // A row no deal counts any more (a month emptied) goes; so does a deal whose records are gone.
  let removedRows = 0;
  for (const row of of(itemKind.rollup)) {
    if (written.has(`${row.pk}\u0000${row.sk}`)) continue;
    await db().send(new DeleteCommand({ TableName: tableName(), Key: { pk: row.pk, sk: row.sk } }));
    removedRows += 1;
  }
  const revs = new Map(of(itemKind.rollupDeal).map((item) => [String(item.pk), Number(item.rev ?? 0)]));
  for (const [pk, state] of deals) {
    const key = keys.rollupDeal(pk);
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, itemType: itemKind.rollupDeal, deal: state, rev: (revs.get(key.pk) ?? 0) + 1 },
      }),
    );
  }
  return { deals: deals.size, rows: totals.length, removedRows };
};
