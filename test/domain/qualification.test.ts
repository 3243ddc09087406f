import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Conflict } from '#domain/errors';
import type { Lead } from '#domain/lead';
import { engineeringReviewReasons, type Qualification, qualify, recordEngineeringAdvice } from '#domain/opportunity';
import { defaultQuoteLimits } from '#domain/quote';

const lead: Lead = {
  id: 'lead-1',
  status: 'suspect',
  channel: 'bingo-card',
  source: 'marketing-campaign',
  contact: { name: 'Ann Smith', email: 'ann@acme.test', company: 'Acme' },
  literature: [],
  owner: 'sm.uk@salesflow.example',
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
};

const qualification = (over: Partial<Qualification> = {}): Qualification => ({
  business: 'Precision machining',
  buyingConcept: 'Replace two ageing testers',
  application: 'Inline inspection',
  budget: 'Approved for this year',
  timing: 'Q1',
  buyingInfluences: [{ name: 'Bob', role: 'economic' }],
  productNeeds: ['tester'],
  nonStandardRequirements: null,
  estimatedValueGbp: 180_000,
  via: 'direct',
  ...over,
});

const ids = { opportunityId: 'opp-1', entryIds: ['e1', 'e2', 'e3'] as [string, string, string] };
const limits = defaultQuoteLimits;

describe('R10: when Engineering must review', () => {
  it('a standard deal of exactly £250k is not referred', () => {
    expect(engineeringReviewReasons({ estimatedValueGbp: 250_000, nonStandardRequirements: null }, limits)).toEqual([]);
  });

  it('a standard deal of £250,001 is referred for its size', () => {
    expect(engineeringReviewReasons({ estimatedValueGbp: 250_001, nonStandardRequirements: null }, limits)).toEqual([
      'estimated value over £250,000.00',
    ]);
  });

  it("the limit is the quote limits' setting, not a number of its own", () => {
    const lower = { ...limits, engineeringReviewGbp: 100_000 };
    expect(engineeringReviewReasons({ estimatedValueGbp: 180_000, nonStandardRequirements: null }, lower)).toEqual([
      'estimated value over £100,000.00',
    ]);
    expect(qualify(lead, qualification(), 'sm', ids, '2026-11-02T10:00:00.000Z', lower).opportunity.engineeringReview.status).toBe(
      'required',
    );
  });

  it('a small deal with non-standard requirements is referred', () => {
    expect(engineeringReviewReasons({ estimatedValueGbp: 10_000, nonStandardRequirements: 'Custom fixture' }, limits)).toEqual([
      'non-standard requirements',
    ]);
  });

  it('blank non-standard requirements count as none', () => {
    expect(engineeringReviewReasons({ estimatedValueGbp: 10_000, nonStandardRequirements: '   ' }, limits)).toEqual([]);
  });

  it('is required exactly when the deal is over £250k or non-standard', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.option(fc.string()), (value, nonStandard) => {
        const required = engineeringReviewReasons({ estimatedValueGbp: value, nonStandardRequirements: nonStandard }, limits).length > 0;
        expect(required).toBe(value > limits.engineeringReviewGbp || Boolean(nonStandard?.trim()));
      }),
    );
  });
});

describe('R9: qualifying a suspect', () => {
  it('opens a prospect owned by the lead owner and logs it on both timelines', () => {
    const result = qualify(lead, qualification(), 'sm.uk@salesflow.example', ids, '2026-11-02T10:00:00.000Z', limits);
    expect(result.opportunity).toMatchObject({
      id: 'opp-1',
      leadId: 'lead-1',
      status: 'prospect',
      owner: 'sm.uk@salesflow.example',
      company: 'Acme',
      engineeringReview: { status: 'not-required', reasons: [] },
    });
    expect(result.leadEntry.kind).toBe('qualified');
    expect(result.opportunityEntries.map((e) => e.kind)).toEqual(['opportunity-opened']);
  });

  it('via the distributor is logged as such', () => {
    const result = qualify(lead, qualification({ via: 'distributor' }), 'sm', ids, '2026-11-02T10:00:00.000Z', limits);
    expect(result.leadEntry.channel).toBe('via-distributor');
  });

  it('a large deal is referred to Engineering on the opportunity timeline', () => {
    const result = qualify(lead, qualification({ estimatedValueGbp: 400_000 }), 'sm', ids, '2026-11-02T10:00:00.000Z', limits);
    expect(result.opportunity.engineeringReview.status).toBe('required');
    expect(result.opportunityEntries.map((e) => e.kind)).toEqual(['opportunity-opened', 'engineering-review-requested']);
  });

  it('a prospect cannot be qualified twice', () => {
    expect(() => qualify({ ...lead, status: 'prospect' }, qualification(), 'sm', ids, 'now', limits)).toThrow(Conflict);
  });
});

describe("R10: Engineering's advice", () => {
  const { opportunity } = qualify(lead, qualification({ estimatedValueGbp: 400_000 }), 'sm', ids, '2026-11-02T10:00:00.000Z', limits);
  const advice = {
    by: 'eng@salesflow.example',
    at: '2026-11-03T10:00:00.000Z',
    recommendation: 'proceed-with-changes' as const,
    advice: 'Use the high-temperature variant',
    customerContact: 'call' as const,
  };

  it('is recorded once, with who and when', () => {
    const { review, entry } = recordEngineeringAdvice(opportunity, advice, 'e9');
    expect(review).toMatchObject({ status: 'given', advice });
    expect(entry).toMatchObject({ actor: advice.by, at: advice.at, kind: 'engineering-review-given', channel: 'call' });
  });

  it('a second review of the same opportunity is a conflict', () => {
    const { review } = recordEngineeringAdvice(opportunity, advice, 'e9');
    expect(() => recordEngineeringAdvice({ ...opportunity, engineeringReview: review }, advice, 'e10')).toThrow(Conflict);
  });
});
