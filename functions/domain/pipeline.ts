import type { Lead } from './lead';
import type { Opportunity } from './opportunity';
import type { QuoteStatus } from './quote';

/**
 * The sales pipeline as the chart runs it: suspects (R3-R5), prospects (R9/R10), quotes on their
 * way through approval (R13-R17), quotes with the customer (R17-R19), and orders (R20). Each
 * opportunity stands at its furthest stage; a quote that lapsed, failed or was turned down leaves
 * it a prospect again.
 */

export const pipelineStages = ['suspect', 'prospect', 'quoting', 'quoted', 'ordered'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

export const stageLabels: Record<PipelineStage, string> = {
  suspect: 'Suspects',
  prospect: 'Prospects',
  quoting: 'Quotes in approval',
  quoted: 'Quotes with the customer',
  ordered: 'Orders',
};

const quoteStage: Record<QuoteStatus, PipelineStage> = {
  'qpa-preparation': 'quoting',
  'awaiting-approval': 'quoting',
  returned: 'quoting',
  'in-preparation': 'quoting',
  'awaiting-signature': 'quoting',
  sending: 'quoting',
  sent: 'quoted',
  'contract-negotiation': 'quoted',
  'contract-approved': 'quoted',
  'contract-rejected': 'prospect',
  lapsed: 'prospect',
  failed: 'prospect',
};

export interface QuoteSummary {
  id: string;
  status: QuoteStatus;
  netGbp: number;
  createdAt: string;
}
export interface OrderSummary {
  id: string;
  totalGbp: number;
  createdAt: string;
}

export interface PipelineItem {
  kind: 'lead' | 'opportunity';
  id: string;
  company: string;
  /** In the business's words: "suspect", "prospect", the newest quote's status, or "PO <n> received". */
  status: string;
  valueGbp?: number;
  since: string;
}

export interface PipelineView {
  stage: PipelineStage;
  label: string;
  count: number;
  valueGbp: number;
  items: PipelineItem[];
}

/** Where one opportunity stands, and what it is worth there. */
export const opportunityStage = (
  opportunity: Pick<Opportunity, 'id' | 'company' | 'createdAt' | 'qualification'>,
  quotes: QuoteSummary[],
  orders: OrderSummary[],
): { stage: PipelineStage; item: PipelineItem } => {
  const base = { kind: 'opportunity' as const, id: opportunity.id, company: opportunity.company };
  if (orders.length) {
    const newest = [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
    const total = orders.reduce((sum, order) => sum + order.totalGbp, 0);
    return {
      stage: 'ordered',
      item: { ...base, status: `${orders.length} order${orders.length > 1 ? 's' : ''}`, valueGbp: total, since: newest.createdAt },
    };
  }
  const newest = [...quotes].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (newest && quoteStage[newest.status] !== 'prospect') {
    return { stage: quoteStage[newest.status], item: { ...base, status: newest.status, valueGbp: newest.netGbp, since: newest.createdAt } };
  }
  return {
    stage: 'prospect',
    item: {
      ...base,
      status: newest ? `prospect (last quote ${newest.status})` : 'prospect',
      valueGbp: opportunity.qualification.estimatedValueGbp,
      since: opportunity.createdAt,
    },
  };
};

/** Every stage, in the chart's order, with its count and value (suspects have no value yet). */
export const pipelineOf = (
  suspects: Pick<Lead, 'id' | 'contact' | 'createdAt'>[],
  opportunities: { opportunity: Parameters<typeof opportunityStage>[0]; quotes: QuoteSummary[]; orders: OrderSummary[] }[],
): PipelineView[] => {
  const byStage = new Map<PipelineStage, PipelineItem[]>(pipelineStages.map((stage) => [stage, []]));
  for (const lead of suspects) {
    byStage.get('suspect')!.push({ kind: 'lead', id: lead.id, company: lead.contact.company, status: 'suspect', since: lead.createdAt });
  }
  for (const { opportunity, quotes, orders } of opportunities) {
    const { stage, item } = opportunityStage(opportunity, quotes, orders);
    byStage.get(stage)!.push(item);
  }
  return pipelineStages.map((stage) => {
    const items = byStage.get(stage)!.sort((a, b) => b.since.localeCompare(a.since));
    return {
      stage,
      label: stageLabels[stage],
      count: items.length,
      valueGbp: items.reduce((sum, item) => sum + (item.valueGbp ?? 0), 0),
      items,
    };
  });
};
