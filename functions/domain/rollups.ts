import { opportunityStage, type PipelineStage } from './pipeline';
import type { QuoteStatus } from './quote';

/**
 * Sales operations' weekly figures, kept as counters rather than read from the records: each
 * record the table's stream shows is projected to a small snapshot, a "deal" (a lead, or an
 * opportunity with its quotes and orders) holds its snapshots, and what a deal contributes to the
 * reports is a pure function of them (`dealCounts`). A change is the difference between what the
 * deal contributed before and after (`countChanges`), added to the rollup rows; applying the same
 * snapshot twice changes nothing, which is what makes a replayed stream record harmless.
 *
 * Amounts are kept in pence and durations in minutes, whole numbers, so additions never drift.
 */

export const reportNames = ['pipeline', 'conversion', 'win-rate', 'quote-cycle', 'forecast', 'campaigns', 'after-shipment'] as const;
export type ReportName = (typeof reportNames)[number];

/** A month as the reports name it: 2026-11 (UTC). */
export type Month = string;
export const monthOf = (iso: string): Month => iso.slice(0, 7);

/** The pipeline is a snapshot, not a month; a forecast without a close date has none either. */
export const snapshotPeriod = 'now';
export const undatedPeriod = 'undated';

export const pence = (gbp: number | undefined): number => Math.round((gbp ?? 0) * 100);
const minutesBetween = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

// ---- snapshots: what a record says that the figures need ---------------------------------------

/**
 * Which of two images of one record is the later. Two writers (a quote's parallel steps) stamp
 * updatedAt before they write, so updatedAt can go back; the stream's sequence numbers for one
 * item only go up, so they decide when both images came from the stream (a rebuilt state has none).
 */
export interface Revision {
  updatedAt: string;
  /** The stream record's sequence number. */
  seq?: string;
  /** The stream it came from: a restored table, or a stream turned off and on, numbers afresh. */
  stream?: string;
}

export interface LeadSnapshot extends Revision {
  id: string;
  owner: string;
  channel: string;
  campaignId?: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  /** Deleted (retention, erasure): no longer in the pipeline, still in the months it was counted. */
  removed?: boolean;
}

export interface OpportunitySnapshot extends Revision {
  id: string;
  leadId: string;
  owner: string;
  estimatedValueGbp: number;
  createdAt: string;
  updatedAt: string;
  outcome?: 'won' | 'lost';
  closedAt?: string;
  lostReason?: string;
  competitor?: string;
  /** 0-100. */
  probability?: number;
  /** An ISO date. */
  expectedCloseAt?: string;
  removed?: boolean;
}

/** A person's step on a quote, from when it was asked until it closed (answered or not). */
export interface StepRound {
  step: string;
  askedAt: string;
  doneAt: string;
}

export interface QuoteSnapshot extends Revision {
  id: string;
  status: QuoteStatus;
  netGbp: number;
  createdAt: string;
  updatedAt: string;
  signedAt?: string;
  /** Steps open now, by key (prepare-qpa, approve-qpa:finance...), since when. */
  open: Record<string, string>;
  rounds: StepRound[];
}

export interface OrderSnapshot extends Revision {
  id: string;
  owner: string;
  totalGbp: number;
  createdAt: string;
  updatedAt: string;
  /** R26: yes, no (corrective action) or unanswered, and when. */
  equipmentCheck?: { status: 'yes' | 'no' | 'unanswered'; at: string };
  /** R25: the distributor's answer. */
  deliveryCheck?: { allReceived: boolean; at: string };
}

export interface CampaignSnapshot extends Revision {
  id: string;
  name: string;
  kind: string;
  startsOn: string;
  costGbp?: number;
  updatedAt: string;
}

/** Where a deal came from: read once from its lead and campaign. */
export interface DealContext {
  channel: string;
  campaignId?: string;
  /** The month the campaign started: its figures are filed there. */
  campaignMonth?: Month;
}

export interface DealState {
  lead?: LeadSnapshot;
  opportunity?: OpportunitySnapshot;
  context?: DealContext;
  quotes: Record<string, QuoteSnapshot>;
  orders: Record<string, OrderSnapshot>;
  campaign?: CampaignSnapshot;
}

export const emptyDeal = (): DealState => ({ quotes: {}, orders: {} });

type Image = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const obj = (value: unknown): Image => (value && typeof value === 'object' ? (value as Image) : {});

export const leadSnapshot = (image: Image): LeadSnapshot => ({
  id: String(image.id),
  owner: String(image.owner ?? '').toLowerCase(),
  channel: str(image.channel) ?? 'unknown',
  ...(str(image.campaignId) ? { campaignId: str(image.campaignId)! } : {}),
  status: str(image.status) ?? 'suspect',
  createdAt: String(image.createdAt),
  updatedAt: String(image.updatedAt ?? image.createdAt),
});

/** The close (won or lost) is under `closed` (functions/domain/decisions), or flat on older items: both are read. */
export const opportunitySnapshot = (image: Image): OpportunitySnapshot => {
  const closed = obj(image.closed);
  const status = str(image.status);
  const outcome = str(image.outcome) ?? str(closed.outcome) ?? (status === 'won' || status === 'lost' ? status : undefined);
  const closedAt = str(image.closedAt) ?? str(closed.at) ?? str(closed.closedAt);
  const lostReason = str(image.lostReason) ?? str(closed.lostReason) ?? str(closed.reason);
  const competitor = str(image.competitor) ?? str(closed.competitor);
  const probability = num(image.probability);
  const expectedCloseAt = str(image.expectedCloseAt) ?? str(image.expectedCloseOn);
  return {
    id: String(image.id),
    leadId: String(image.leadId ?? ''),
    owner: String(image.owner ?? '').toLowerCase(),
    estimatedValueGbp: num(obj(image.qualification).estimatedValueGbp) ?? 0,
    createdAt: String(image.createdAt),
    updatedAt: String(image.updatedAt ?? image.createdAt),
    ...(outcome === 'won' || outcome === 'lost' ? { outcome } : {}),
    ...(closedAt ? { closedAt } : {}),
    ...(lostReason ? { lostReason } : {}),
    ...(competitor ? { competitor } : {}),
    ...(probability !== undefined ? { probability: Math.min(100, Math.max(0, probability)) } : {}),
    ...(expectedCloseAt ? { expectedCloseAt } : {}),
  };
};

/**
 * A quote as it stands, with its steps carried on from what was seen before: a step open in the
 * last snapshot and gone from this one closed at this update. Rounds are only ever added, so a
 * snapshot seen again adds nothing.
 */
export const quoteSnapshot = (image: Image, before?: QuoteSnapshot): QuoteSnapshot => {
  const updatedAt = String(image.updatedAt ?? image.createdAt);
  const tasks = obj(image.tasks);
  const open: Record<string, string> = {};
  for (const [key, task] of Object.entries(tasks)) {
    // A chased step gets a new link; it has waited since it was first asked.
    open[key] = before?.open[key] ?? str(obj(task).askedAt) ?? updatedAt;
  }
  const closedNow = Object.entries(before?.open ?? {})
    .filter(([key]) => !(key in open))
    .map(([step, askedAt]) => ({ step, askedAt, doneAt: updatedAt }));
  const signedAt = str(obj(image.signature).signedAt);
  return {
    id: String(image.id),
    status: String(image.status) as QuoteStatus,
    netGbp: num(obj(image.totals).netGbp) ?? 0,
    createdAt: String(image.createdAt),
    updatedAt,
    ...(signedAt ? { signedAt } : {}),
    open,
    rounds: [...(before?.rounds ?? []), ...closedNow],
  };
};

export const orderSnapshot = (image: Image): OrderSnapshot => {
  const followUps = obj(image.followUps);
  const equipment = obj(followUps.equipmentCheck);
  const delivery = obj(obj(followUps.deliveryCheck).answer);
  const equipmentStatus = str(equipment.status);
  const answered = equipmentStatus === 'yes' || equipmentStatus === 'no';
  const equipmentAt = answered ? (str(equipment.answeredAt) ?? str(image.updatedAt)) : str(equipment.dueBy);
  return {
    id: String(image.id),
    owner: String(image.owner ?? '').toLowerCase(),
    totalGbp: num(image.totalGbp) ?? 0,
    createdAt: String(image.createdAt),
    updatedAt: String(image.updatedAt ?? image.createdAt),
    ...((answered || equipmentStatus === 'unanswered') && equipmentAt
      ? { equipmentCheck: { status: equipmentStatus as 'yes' | 'no' | 'unanswered', at: equipmentAt } }
      : {}),
    ...(typeof delivery.allReceived === 'boolean' && str(delivery.at)
      ? { deliveryCheck: { allReceived: delivery.allReceived, at: str(delivery.at)! } }
      : {}),
  };
};

export const campaignSnapshot = (image: Image): CampaignSnapshot => ({
  id: String(image.id),
  name: String(image.name ?? ''),
  kind: String(image.kind ?? ''),
  startsOn: String(image.startsOn ?? image.createdAt),
  ...(num(image.costGbp) !== undefined ? { costGbp: num(image.costGbp)! } : {}),
  updatedAt: String(image.updatedAt ?? image.createdAt),
});

// ---- what a deal counts -----------------------------------------------------------------------

/** One counter: a field of a rollup row (report and period; row names the owner and a dimension). */
export interface Count {
  report: ReportName;
  period: string;
  row: string;
  field: string;
  n: number;
}

/** Row names: the owner first, so one SM's rows are a prefix. */
export const rowOf = (owner: string, ...dimensions: string[]) => [owner, ...dimensions].join('#');

/** The deal's stage in the pipeline now; lost deals have left it. */
const pipelineStageOf = (
  opportunity: OpportunitySnapshot,
  quotes: QuoteSnapshot[],
  orders: OrderSnapshot[],
): { stage: PipelineStage; valueGbp: number } | undefined => {
  if (opportunity.outcome === 'lost' || opportunity.removed) return undefined;
  const { stage, item } = opportunityStage(
    {
      id: opportunity.id,
      company: '',
      createdAt: opportunity.createdAt,
      qualification: { estimatedValueGbp: opportunity.estimatedValueGbp } as never,
    },
    quotes.map((quote) => ({ id: quote.id, status: quote.status, netGbp: quote.netGbp, createdAt: quote.createdAt })),
    orders.map((order) => ({ id: order.id, totalGbp: order.totalGbp, createdAt: order.createdAt })),
  );
  return { stage, valueGbp: item.valueGbp ?? 0 };
};

const earliest = (times: string[]): string | undefined => [...times].sort()[0];

/** Everything a deal contributes to every report. */
export const dealCounts = (deal: DealState): Count[] => {
  const counts: Count[] = [];
  const add = (report: ReportName, period: string, row: string, field: string, n: number) => {
    if (n !== 0) counts.push({ report, period, row, field, n });
  };
  const { lead, opportunity, context, campaign } = deal;
  const quotes = Object.values(deal.quotes);
  const orders = Object.values(deal.orders);

  if (campaign) add('campaigns', monthOf(campaign.startsOn), campaign.id, 'costPence', pence(campaign.costGbp));

  // A lead merged into another of the same customer was never a response of its own.
  if (lead && lead.status !== 'merged') {
    add('conversion', monthOf(lead.createdAt), rowOf(lead.owner, lead.channel), 'suspects', 1);
    if (lead.status === 'suspect' && !lead.removed) add('pipeline', snapshotPeriod, rowOf(lead.owner, 'suspect'), 'count', 1);
    if (lead.campaignId) add('campaigns', monthOf(context?.campaignMonth ?? lead.createdAt), lead.campaignId, 'leads', 1);
  }

  // After shipment: the order's own owner (the account's SM) answers for its checks.
  for (const order of orders) {
    if (order.equipmentCheck) {
      const field = { yes: 'ok', no: 'corrective', unanswered: 'unanswered' }[order.equipmentCheck.status];
      add('after-shipment', monthOf(order.equipmentCheck.at), rowOf(order.owner, 'equipment'), field, 1);
    }
    if (order.deliveryCheck) {
      add(
        'after-shipment',
        monthOf(order.deliveryCheck.at),
        rowOf(order.owner, 'delivery'),
        order.deliveryCheck.allReceived ? 'ok' : 'notOk',
        1,
      );
    }
  }

  if (!opportunity) return counts;
  const owner = opportunity.owner;
  const channel = context?.channel ?? 'unknown';

  // Conversion: each opportunity once at each stage it reached, in the month it got there.
  add('conversion', monthOf(opportunity.createdAt), rowOf(owner, channel), 'prospects', 1);
  const firstQuote = earliest(quotes.map((quote) => quote.createdAt));
  if (firstQuote) add('conversion', monthOf(firstQuote), rowOf(owner, channel), 'quotes', 1);
  const firstOrder = earliest(orders.map((order) => order.createdAt));
  if (firstOrder) add('conversion', monthOf(firstOrder), rowOf(owner, channel), 'orders', 1);

  const standing = pipelineStageOf(opportunity, quotes, orders);
  if (standing) {
    add('pipeline', snapshotPeriod, rowOf(owner, standing.stage), 'count', 1);
    add('pipeline', snapshotPeriod, rowOf(owner, standing.stage), 'valuePence', pence(standing.valueGbp));
  }

  // Won: closed as won, or an order came in; lost: closed as lost (with why, and to whom).
  const orderValue = orders.reduce((sum, order) => sum + pence(order.totalGbp), 0);
  const won = opportunity.outcome === 'won' || (opportunity.outcome === undefined && firstOrder !== undefined);
  if (won) {
    const at = opportunity.closedAt ?? firstOrder ?? opportunity.updatedAt;
    add('win-rate', monthOf(at), rowOf(owner, 'won'), 'count', 1);
    add(
      'win-rate',
      monthOf(at),
      rowOf(owner, 'won'),
      'valuePence',
      orderValue || pence(standing?.valueGbp ?? opportunity.estimatedValueGbp),
    );
  } else if (opportunity.outcome === 'lost') {
    const month = monthOf(opportunity.closedAt ?? opportunity.updatedAt);
    const newestQuote = [...quotes].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    add('win-rate', month, rowOf(owner, 'lost'), 'count', 1);
    add('win-rate', month, rowOf(owner, 'lost'), 'valuePence', pence(newestQuote?.netGbp ?? opportunity.estimatedValueGbp));
    add('win-rate', month, rowOf(owner, 'reason', opportunity.lostReason ?? 'not given'), 'count', 1);
    if (opportunity.competitor) add('win-rate', month, rowOf(owner, 'competitor', opportunity.competitor), 'count', 1);
  }

  // Forecast: open deals by the month they are expected to close, weighted by their probability.
  if (standing && !won && opportunity.outcome === undefined) {
    const period = opportunity.expectedCloseAt ? monthOf(opportunity.expectedCloseAt) : undatedPeriod;
    const value = pence(standing.valueGbp);
    add('forecast', period, rowOf(owner, standing.stage), 'count', 1);
    add('forecast', period, rowOf(owner, standing.stage), 'valuePence', value);
    if (opportunity.probability !== undefined) {
      add('forecast', period, rowOf(owner, standing.stage), 'weightedPence', Math.round((value * opportunity.probability) / 100));
    } else {
      add('forecast', period, rowOf(owner, standing.stage), 'unweighted', 1);
    }
  }

  // Quote cycle: request to signature, and how long each person's step waited.
  for (const quote of quotes) {
    if (quote.signedAt) {
      add('quote-cycle', monthOf(quote.signedAt), rowOf(owner, 'signed'), 'count', 1);
      add('quote-cycle', monthOf(quote.signedAt), rowOf(owner, 'signed'), 'minutes', minutesBetween(quote.createdAt, quote.signedAt));
    }
    for (const round of quote.rounds) {
      add('quote-cycle', monthOf(round.doneAt), rowOf(owner, 'step', round.step), 'count', 1);
      add('quote-cycle', monthOf(round.doneAt), rowOf(owner, 'step', round.step), 'minutes', minutesBetween(round.askedAt, round.doneAt));
    }
  }

  if (context?.campaignId) {
    const month = context.campaignMonth ?? monthOf(opportunity.createdAt);
    add('campaigns', month, context.campaignId, 'qualified', 1);
    if (firstOrder) {
      add('campaigns', month, context.campaignId, 'orders', 1);
      add('campaigns', month, context.campaignId, 'orderValuePence', orderValue);
    }
  }
  return counts;
};

/** One rollup row's additions. */
export interface RowChange {
  report: ReportName;
  period: string;
  row: string;
  add: Record<string, number>;
}

const countKey = (count: Omit<Count, 'field' | 'n'>) => `${count.report}\u0000${count.period}\u0000${count.row}`;

/** What moves from one state of a deal to the next: per row, the fields' differences; nothing if equal. */
export const countChanges = (before: readonly Count[], after: readonly Count[]): RowChange[] => {
  const rows = new Map<string, RowChange>();
  const apply = (count: Count, sign: 1 | -1) => {
    const key = countKey(count);
    const row = rows.get(key) ?? { report: count.report, period: count.period, row: count.row, add: {} };
    row.add[count.field] = (row.add[count.field] ?? 0) + sign * count.n;
    rows.set(key, row);
  };
  for (const count of before) apply(count, -1);
  for (const count of after) apply(count, 1);
  return [...rows.values()]
    .map((row) => ({ ...row, add: Object.fromEntries(Object.entries(row.add).filter(([, n]) => n !== 0)) }))
    .filter((row) => Object.keys(row.add).length > 0);
};

/** The sum of many deals' counts, row by row: what a rebuild writes. */
export const totalsOf = (counts: Iterable<Count>): RowChange[] => countChanges([], [...counts]);

/** A later snapshot of a record replaces an earlier one; an older one (a late replay) is ignored. */
const sequence = /^\d{1,64}$/;

/** Whether `next` may replace `seen`: a record delivered twice (the same sequence number) may not. */
export const isNewer = (seen: Revision | undefined, next: Revision): boolean => {
  if (!seen) return true;
  if (seen.seq && next.seq && seen.stream === next.stream && sequence.test(seen.seq) && sequence.test(next.seq))
    return BigInt(next.seq) > BigInt(seen.seq);
  return next.updatedAt >= seen.updatedAt;
};
