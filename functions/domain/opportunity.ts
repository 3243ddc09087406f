import { money } from '#domain/money';
import type { QuoteLimits } from '#domain/quote';
import type { Closing } from './decisions';
import { Conflict } from './errors';
import type { Lead } from './lead';
import type { TimelineEntry } from './timeline';

export const buyingInfluenceRoles = ['economic', 'technical', 'user', 'coach'] as const;
export const qualificationRoutes = ['direct', 'distributor'] as const;
export const engineeringRecommendations = ['proceed', 'proceed-with-changes', 'decline'] as const;

/** R9: what the SM learns when qualifying, by phone or via the distributor. */
export interface Qualification {
  business: string;
  buyingConcept: string;
  application: string;
  budget: string;
  timing: string;
  buyingInfluences: { name: string; role: (typeof buyingInfluenceRoles)[number] }[];
  productNeeds: string[];
  nonStandardRequirements: string | null;
  estimatedValueGbp: number;
  via: (typeof qualificationRoutes)[number];
}

export interface EngineeringAdvice {
  by: string;
  at: string;
  recommendation: (typeof engineeringRecommendations)[number];
  advice: string;
  /** R10: Engineering may call or visit the customer as part of the review. */
  customerContact: 'none' | 'call' | 'visit';
}

export interface EngineeringReview {
  status: 'required' | 'not-required' | 'given';
  reasons: string[];
  advice?: EngineeringAdvice;
}

export interface Opportunity {
  id: string;
  leadId: string;
  /** Open until won (by an order, or the SM's say) or lost (functions/domain/decisions). */
  status: 'prospect' | 'won' | 'lost';
  closed?: Closing;
  /** For the forecast: when the SM expects it to close (YYYY-MM-DD), and how likely, in percent. */
  expectedCloseOn?: string;
  probability?: number;
  owner: string;
  company: string;
  qualifiedBy: string;
  qualification: Qualification;
  engineeringReview: EngineeringReview;
  createdAt: string;
  updatedAt: string;
}

/** R10: why Engineering must review this opportunity, if it must: non-standard, or over the limit (the quote limits'). */
export const engineeringReviewReasons = (
  q: Pick<Qualification, 'nonStandardRequirements' | 'estimatedValueGbp'>,
  limits: Pick<QuoteLimits, 'engineeringReviewGbp'>,
): string[] => [
  ...(q.nonStandardRequirements?.trim() ? ['non-standard requirements'] : []),
  ...(q.estimatedValueGbp > limits.engineeringReviewGbp ? [`estimated value over ${money(limits.engineeringReviewGbp)}`] : []),
];

export interface QualifiedLead {
  opportunity: Opportunity;
  leadEntry: TimelineEntry;
  opportunityEntries: TimelineEntry[];
}

/** R9/R10: the SM's qualification turns a suspect into a prospect with an opportunity. */
export const qualify = (
  lead: Lead,
  q: Qualification,
  by: string,
  ids: { opportunityId: string; entryIds: [string, string, string] },
  now: string,
  limits: Pick<QuoteLimits, 'engineeringReviewGbp'>,
): QualifiedLead => {
  if (lead.status !== 'suspect') {
    throw new Conflict(`Lead ${lead.id} is already a ${lead.status}`);
  }
  const reasons = engineeringReviewReasons(q, limits);
  const opportunity: Opportunity = {
    id: ids.opportunityId,
    leadId: lead.id,
    status: 'prospect',
    owner: lead.owner,
    company: lead.contact.company,
    qualifiedBy: by,
    qualification: q,
    engineeringReview: { status: reasons.length ? 'required' : 'not-required', reasons },
    createdAt: now,
    updatedAt: now,
  };
  const channel = q.via === 'distributor' ? 'via-distributor' : 'phone';
  const [leadEntryId, openedId, referralId] = ids.entryIds;
  return {
    opportunity,
    leadEntry: {
      id: leadEntryId,
      at: now,
      actor: by,
      kind: 'qualified',
      channel,
      summary: `Qualified into opportunity ${opportunity.id}`,
      detail: { opportunityId: opportunity.id },
    },
    opportunityEntries: [
      {
        id: openedId,
        at: now,
        actor: by,
        kind: 'opportunity-opened',
        channel,
        summary: `Prospect qualified: ${q.application}; budget ${q.budget}; timing ${q.timing}`,
        detail: { leadId: lead.id, estimatedValueGbp: q.estimatedValueGbp },
      },
      ...(reasons.length
        ? [
            {
              id: referralId,
              at: now,
              actor: by,
              kind: 'engineering-review-requested' as const,
              summary: `Referred to Engineering: ${reasons.join('; ')}`,
              detail: { reasons },
            },
          ]
        : []),
    ],
  };
};

/**
 * R20: an order names the opportunity it was won from only if that opportunity is the customer's:
 * the company the lead came from is the account's (letter case, spacing and punctuation aside).
 */
export const isOpportunityOf = (opportunity: Pick<Opportunity, 'company'>, account: { name: string }): boolean => {
  const plain = (name: string) =>
    name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return plain(opportunity.company) === plain(account.name);
};

/** R10: Engineering's advice to the SM, once. */
export const recordEngineeringAdvice = (
  opportunity: Opportunity,
  advice: EngineeringAdvice,
  entryId: string,
): { review: EngineeringReview; entry: TimelineEntry } => {
  if (opportunity.engineeringReview.status === 'given') {
    throw new Conflict(`Engineering already reviewed opportunity ${opportunity.id}`);
  }
  if (opportunity.engineeringReview.status === 'not-required') {
    // R10: only non-standard or large opportunities go to Engineering.
    throw new Conflict(`Opportunity ${opportunity.id} needs no Engineering review (standard, and not over the review limit)`);
  }
  return {
    review: { ...opportunity.engineeringReview, status: 'given', advice },
    entry: {
      id: entryId,
      at: advice.at,
      actor: advice.by,
      kind: 'engineering-review-given',
      channel: advice.customerContact === 'none' ? 'internal' : advice.customerContact,
      summary: `Engineering advice: ${advice.recommendation}`,
      detail: { recommendation: advice.recommendation, advice: advice.advice },
    },
  };
};
