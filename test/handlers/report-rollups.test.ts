import { describe, expect, it } from 'vitest';
import { type DealState, emptyDeal } from '#domain/rollups';
import { foldOf } from '#functions/reports/rollups';

/** Which deal a stream record folds into, before any read: the filter lets through more than it counts. */
describe('the rollups worker: which records count', () => {
  it('a lead, an opportunity and a campaign are deals of their own', () => {
    expect(foldOf({ pk: 'LEAD#l1', sk: 'LEAD' }, { itemType: 'lead', id: 'l1' })?.dealPk).toBe('LEAD#l1');
    expect(foldOf({ pk: 'OPP#o1', sk: 'OPP' }, { itemType: 'opportunity', id: 'o1' })?.dealPk).toBe('OPP#o1');
    expect(foldOf({ pk: 'CAMPAIGN#c1', sk: 'CAMPAIGN' }, { itemType: 'campaign', id: 'c1' })?.dealPk).toBe('CAMPAIGN#c1');
  });

  it("a quote and an order fold into their opportunity's deal; an order without one is its own", () => {
    expect(foldOf({ pk: 'QUOTE#q1', sk: 'QUOTE' }, { itemType: 'quote', id: 'q1', opportunityId: 'o1' })?.dealPk).toBe('OPP#o1');
    expect(foldOf({ pk: 'ORDER#r1', sk: 'ORDER' }, { itemType: 'order', id: 'r1', opportunityId: 'o1' })?.dealPk).toBe('OPP#o1');
    expect(foldOf({ pk: 'ORDER#r2', sk: 'ORDER' }, { itemType: 'order', id: 'r2' })?.dealPk).toBe('ORDER#r2');
  });

  it('a deleted lead or opportunity still finds its deal (its keys are all a removal carries)', () => {
    expect(foldOf({ pk: 'LEAD#l1', sk: 'LEAD' }, undefined)?.dealPk).toBe('LEAD#l1');
    expect(foldOf({ pk: 'OPP#o1', sk: 'OPP' }, undefined)?.dealPk).toBe('OPP#o1');
  });

  it('items that only share a sort key are not counted: a duplicate mark, a campaign lead, another kind', () => {
    expect(foldOf({ pk: 'DUPE#EMAIL#abc', sk: 'LEAD' }, { itemType: 'duplicate-mark', id: 'l1' })).toBeUndefined();
    expect(foldOf({ pk: 'LEAD#l1', sk: 'LEAD' }, { itemType: 'something-else', id: 'l1' })).toBeUndefined();
    expect(foldOf({ pk: 'CAMPAIGN#c1#LEADS', sk: 'CAMPAIGN' }, { itemType: 'campaign' })).toBeUndefined();
    expect(foldOf({ pk: 'LEAD#l1', sk: 'EMAIL#e1' }, { itemType: 'email' })).toBeUndefined();
  });
});

/**
 * A quote's two first steps are asked by parallel branches, each stamping updatedAt before it
 * writes: the later write can carry the earlier time. The stream's order is the record's order.
 */
describe('the rollups worker: a quote whose steps were asked at once', () => {
  const opportunity = {
    id: 'o1',
    leadId: 'l1',
    owner: 'sm@salesflow.example',
    estimatedValueGbp: 10_000,
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
  };
  const quoteImage = (updatedAt: string, tasks: Record<string, { askedAt: string }>) => ({
    itemType: 'quote',
    id: 'q1',
    opportunityId: 'o1',
    status: 'preparing',
    totals: { netGbp: 10_000 },
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt,
    tasks,
  });
  const stream = 'arn:aws:dynamodb:eu-west-2:1:table/salesflow/stream/2026-12-01T00:00:00.000';
  const foldQuote = (image: Record<string, unknown>, seq: string) => foldOf({ pk: 'QUOTE#q1', sk: 'QUOTE' }, image, { seq, stream })!.fold;
  const fold = async (deal: DealState, image: Record<string, unknown>, seq: string) => (await foldQuote(image, seq)(deal)) ?? deal;

  it('the step written second with the earlier time is still counted once it is done', async () => {
    const proposal = { askedAt: '2026-12-01T10:00:02.000Z' };
    const quote = { askedAt: '2026-12-01T10:00:01.000Z' };
    let deal: DealState = { ...emptyDeal(), opportunity };
    deal = await fold(deal, quoteImage('2026-12-01T10:00:00.000Z', {}), '100');
    deal = await fold(deal, quoteImage(proposal.askedAt, { 'prepare-proposal': proposal }), '200');
    deal = await fold(deal, quoteImage(quote.askedAt, { 'prepare-proposal': proposal, 'prepare-quote': quote }), '300');
    deal = await fold(deal, quoteImage('2026-12-01T11:00:00.000Z', { 'prepare-proposal': proposal }), '400');
    expect(deal.quotes.q1!.rounds.map((round) => round.step)).toEqual(['prepare-quote']);
    expect(Object.keys(deal.quotes.q1!.open)).toEqual(['prepare-proposal']);
  });

  it("after a restore the new stream's lower numbers still count: numbers are compared within one stream only", async () => {
    const asked = { 'prepare-quote': { askedAt: '2026-12-01T10:00:01.000Z' } };
    let deal: DealState = { ...emptyDeal(), opportunity };
    deal = await fold(deal, quoteImage('2026-12-01T10:00:01.000Z', asked), '900000');
    const restored = 'arn:aws:dynamodb:eu-west-2:1:table/salesflow-restored/stream/2026-12-02T00:00:00.000';
    const next = await foldOf({ pk: 'QUOTE#q1', sk: 'QUOTE' }, quoteImage('2026-12-02T09:00:00.000Z', {}), {
      seq: '100',
      stream: restored,
    })!.fold(deal);
    expect(next?.quotes.q1?.rounds.map((round) => round.step)).toEqual(['prepare-quote']);
  });

  it('a record delivered twice, or an older one delivered again after a restart, changes nothing', async () => {
    const asked = { 'prepare-quote': { askedAt: '2026-12-01T10:00:01.000Z' } };
    let deal: DealState = { ...emptyDeal(), opportunity };
    deal = await fold(deal, quoteImage('2026-12-01T10:00:01.000Z', asked), '200');
    deal = await fold(deal, quoteImage('2026-12-01T11:00:00.000Z', {}), '300');
    expect(await foldQuote(quoteImage('2026-12-01T11:00:00.000Z', {}), '300')(deal)).toBeUndefined();
    expect(await foldQuote(quoteImage('2026-12-01T10:00:01.000Z', asked), '200')(deal)).toBeUndefined();
    expect(deal.quotes.q1!.rounds).toHaveLength(1);
  });
});
