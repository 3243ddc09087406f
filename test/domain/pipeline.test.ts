import { describe, expect, it } from 'vitest';
import { opportunityStage, pipelineOf, pipelineStages } from '#domain/pipeline';

const opportunity = (id: string, estimatedValueGbp: number) => ({
  id,
  company: `${id} Ltd`,
  createdAt: '2026-10-01T09:00:00.000Z',
  qualification: { estimatedValueGbp } as never,
});
const quote = (status: string, netGbp: number, createdAt = '2026-10-05T09:00:00.000Z') => ({
  id: `q-${status}`,
  status: status as never,
  netGbp,
  createdAt,
});
const order = (totalGbp: number) => ({ id: `o-${totalGbp}`, totalGbp, createdAt: '2026-11-01T09:00:00.000Z' });

describe('the pipeline', () => {
  it('a prospect with no quote is worth its estimated value', () => {
    expect(opportunityStage(opportunity('a', 180_000), [], [])).toMatchObject({
      stage: 'prospect',
      item: { valueGbp: 180_000, status: 'prospect' },
    });
  });

  it('a quote waiting for its QPA approvals is in approval, worth the quote', () => {
    expect(opportunityStage(opportunity('a', 180_000), [quote('awaiting-approval', 150_000)], [])).toMatchObject({
      stage: 'quoting',
      item: { valueGbp: 150_000, status: 'awaiting-approval' },
    });
  });

  it('a sent quote is with the customer; the newest quote decides', () => {
    const quotes = [quote('lapsed', 90_000, '2026-10-02T00:00:00.000Z'), quote('sent', 120_000, '2026-10-09T00:00:00.000Z')];
    expect(opportunityStage(opportunity('a', 100_000), quotes, [])).toMatchObject({ stage: 'quoted', item: { valueGbp: 120_000 } });
  });

  it('a lapsed or failed newest quote leaves a prospect again, and says so', () => {
    expect(opportunityStage(opportunity('a', 100_000), [quote('lapsed', 90_000)], [])).toMatchObject({
      stage: 'prospect',
      item: { valueGbp: 100_000, status: 'prospect (last quote lapsed)' },
    });
  });

  it('an order wins over any quote, worth the orders together', () => {
    expect(opportunityStage(opportunity('a', 100_000), [quote('sent', 120_000)], [order(118_000), order(2_000)])).toMatchObject({
      stage: 'ordered',
      item: { valueGbp: 120_000, status: '2 orders' },
    });
  });

  it('lists every stage in the chart order with counts and values; suspects count but are not valued', () => {
    const stages = pipelineOf(
      [{ id: 'l1', contact: { company: 'Suspect Co' } as never, createdAt: '2026-11-01T00:00:00.000Z' }],
      [
        { opportunity: opportunity('a', 100_000), quotes: [], orders: [] },
        { opportunity: opportunity('b', 50_000), quotes: [], orders: [] },
        { opportunity: opportunity('c', 70_000), quotes: [quote('sent', 65_000)], orders: [] },
      ],
    );
    expect(stages.map((s) => s.stage)).toEqual([...pipelineStages]);
    expect(stages.map((s) => [s.stage, s.count, s.valueGbp])).toEqual([
      ['suspect', 1, 0],
      ['prospect', 2, 150_000],
      ['quoting', 0, 0],
      ['quoted', 1, 65_000],
      ['ordered', 0, 0],
    ]);
  });
});
