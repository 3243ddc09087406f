import { describe, expect, it } from 'vitest';
import { assembleReport, defaultRange, monthsBetween, type RollupRow } from '#domain/reports';
import {
  countChanges,
  type DealState,
  dealCounts,
  emptyDeal,
  leadSnapshot,
  opportunitySnapshot,
  orderSnapshot,
  quoteSnapshot,
  totalsOf,
} from '#domain/rollups';

const sm = 'sm.uk@salesflow.example';
const lead = (status = 'suspect', extra: Record<string, unknown> = {}) =>
  leadSnapshot({
    id: 'l1',
    owner: sm,
    channel: 'bingo-card',
    status,
    createdAt: '2026-09-03T10:00:00.000Z',
    updatedAt: '2026-09-03T10:00:00.000Z',
    ...extra,
  });
const opportunity = (extra: Record<string, unknown> = {}) =>
  opportunitySnapshot({
    id: 'o1',
    leadId: 'l1',
    owner: sm,
    status: 'prospect',
    qualification: { estimatedValueGbp: 40_000 },
    createdAt: '2026-10-01T09:00:00.000Z',
    updatedAt: '2026-10-01T09:00:00.000Z',
    ...extra,
  });
const quoteImage = (extra: Record<string, unknown>) => ({
  id: 'q1',
  opportunityId: 'o1',
  status: 'qpa-preparation',
  totals: { netGbp: 36_000.5 },
  tasks: {},
  createdAt: '2026-10-05T09:00:00.000Z',
  updatedAt: '2026-10-05T09:00:00.000Z',
  ...extra,
});
const opportunityDeal = (extra: Partial<DealState> = {}): DealState => ({
  ...emptyDeal(),
  opportunity: opportunity(),
  context: { channel: 'bingo-card', campaignId: 'c1', campaignMonth: '2026-08' },
  ...extra,
});
const rowsOf = (deal: DealState) =>
  totalsOf(dealCounts(deal)).map((change) => ({ period: change.period, row: change.row, fields: change.add, report: change.report }));

describe('rollups: what a deal counts', () => {
  it('a new suspect counts once in its month and channel, and in the pipeline as a suspect', () => {
    const changes = countChanges([], dealCounts({ ...emptyDeal(), lead: lead() }));
    expect(changes).toEqual([
      { report: 'conversion', period: '2026-09', row: `${sm}#bingo-card`, add: { suspects: 1 } },
      { report: 'pipeline', period: 'now', row: `${sm}#suspect`, add: { count: 1 } },
    ]);
  });

  it('the same snapshot seen twice moves nothing', () => {
    const deal = { ...emptyDeal(), lead: lead() };
    expect(countChanges(dealCounts(deal), dealCounts(structuredClone(deal)))).toEqual([]);
  });

  it('qualifying moves the lead out of the suspects; the conversion month keeps it', () => {
    const before = dealCounts({ ...emptyDeal(), lead: lead() });
    const after = dealCounts({ ...emptyDeal(), lead: lead('prospect', { updatedAt: '2026-10-01T09:00:00.000Z' }) });
    expect(countChanges(before, after)).toEqual([{ report: 'pipeline', period: 'now', row: `${sm}#suspect`, add: { count: -1 } }]);
  });

  it('a disqualified lead leaves the suspects; a merged one was never a response of its own', () => {
    const before = dealCounts({ ...emptyDeal(), lead: lead() });
    expect(
      countChanges(before, dealCounts({ ...emptyDeal(), lead: lead('disqualified', { updatedAt: '2026-09-04T10:00:00.000Z' }) })),
    ).toEqual([{ report: 'pipeline', period: 'now', row: `${sm}#suspect`, add: { count: -1 } }]);
    expect(dealCounts({ ...emptyDeal(), lead: lead('merged') })).toEqual([]);
  });

  it('an opportunity counts as a prospect, at its estimated value, in pence', () => {
    const changes = countChanges([], dealCounts(opportunityDeal()));
    expect(changes).toContainEqual({ report: 'pipeline', period: 'now', row: `${sm}#prospect`, add: { count: 1, valuePence: 4_000_000 } });
    expect(changes).toContainEqual({ report: 'conversion', period: '2026-10', row: `${sm}#bingo-card`, add: { prospects: 1 } });
    expect(changes).toContainEqual({ report: 'campaigns', period: '2026-08', row: 'c1', add: { qualified: 1 } });
  });

  it('a quote moves the opportunity from prospect to quoting at the quote value (a +/- pair)', () => {
    const before = opportunityDeal();
    const after = opportunityDeal({ quotes: { q1: quoteSnapshot(quoteImage({})) } });
    const changes = countChanges(dealCounts(before), dealCounts(after));
    expect(changes).toContainEqual({
      report: 'pipeline',
      period: 'now',
      row: `${sm}#prospect`,
      add: { count: -1, valuePence: -4_000_000 },
    });
    expect(changes).toContainEqual({ report: 'pipeline', period: 'now', row: `${sm}#quoting`, add: { count: 1, valuePence: 3_600_050 } });
    expect(changes).toContainEqual({ report: 'conversion', period: '2026-10', row: `${sm}#bingo-card`, add: { quotes: 1 } });
  });

  it("a step's wait runs from when it was first asked (a chase keeps it) to the update that closed it", () => {
    const asked = quoteSnapshot(
      quoteImage({ tasks: { 'approve-qpa:finance': { askedAt: '2026-10-05T10:00:00.000Z' } }, updatedAt: '2026-10-05T10:00:00.000Z' }),
    );
    const chased = quoteSnapshot(
      quoteImage({ tasks: { 'approve-qpa:finance': { askedAt: '2026-10-08T10:00:00.000Z' } }, updatedAt: '2026-10-08T10:00:00.000Z' }),
      asked,
    );
    const done = quoteSnapshot(quoteImage({ tasks: {}, updatedAt: '2026-10-09T16:00:00.000Z' }), chased);
    expect(done.rounds).toEqual([{ step: 'approve-qpa:finance', askedAt: '2026-10-05T10:00:00.000Z', doneAt: '2026-10-09T16:00:00.000Z' }]);
    // Seen again, the closing snapshot adds no second round.
    expect(quoteSnapshot(quoteImage({ tasks: {}, updatedAt: '2026-10-09T16:00:00.000Z' }), done).rounds).toHaveLength(1);
    const counts = dealCounts(opportunityDeal({ quotes: { q1: done } }));
    expect(counts.filter((c) => c.report === 'quote-cycle')).toEqual([
      { report: 'quote-cycle', period: '2026-10', row: `${sm}#step#approve-qpa:finance`, field: 'count', n: 1 },
      { report: 'quote-cycle', period: '2026-10', row: `${sm}#step#approve-qpa:finance`, field: 'minutes', n: (4 * 24 + 6) * 60 },
    ]);
  });

  it('request to signature in minutes, filed in the month of the signature', () => {
    const signed = quoteSnapshot(
      quoteImage({ status: 'sent', signature: { signedAt: '2026-11-02T09:00:00.000Z' }, updatedAt: '2026-11-02T09:00:00.000Z' }),
    );
    const counts = dealCounts(opportunityDeal({ quotes: { q1: signed } }));
    expect(counts).toContainEqual({ report: 'quote-cycle', period: '2026-11', row: `${sm}#signed`, field: 'minutes', n: 28 * 24 * 60 });
  });

  it('an order wins the deal: ordered in the pipeline, won in its month, an order for the campaign', () => {
    const order = orderSnapshot({
      id: 'r1',
      owner: sm,
      totalGbp: 35_000,
      createdAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:00:00.000Z',
    });
    const counts = totalsOf(dealCounts(opportunityDeal({ orders: { r1: order } })));
    expect(counts).toContainEqual({ report: 'pipeline', period: 'now', row: `${sm}#ordered`, add: { count: 1, valuePence: 3_500_000 } });
    expect(counts).toContainEqual({ report: 'win-rate', period: '2026-11', row: `${sm}#won`, add: { count: 1, valuePence: 3_500_000 } });
    expect(counts).toContainEqual({
      report: 'campaigns',
      period: '2026-08',
      row: 'c1',
      add: { qualified: 1, orders: 1, orderValuePence: 3_500_000 },
    });
    expect(counts.some((c) => c.report === 'forecast')).toBe(false);
  });

  it('a lost deal leaves the pipeline and the forecast, with its reason and competitor', () => {
    const lost = opportunity({
      status: 'lost',
      closed: { outcome: 'lost', reason: 'price', competitor: 'Rival AG', by: sm, at: '2026-12-01T09:00:00.000Z' },
    });
    const counts = totalsOf(dealCounts(opportunityDeal({ opportunity: lost })));
    expect(counts.filter((c) => c.report === 'pipeline' || c.report === 'forecast')).toEqual([]);
    expect(counts).toContainEqual({ report: 'win-rate', period: '2026-12', row: `${sm}#reason#price`, add: { count: 1 } });
    expect(counts).toContainEqual({ report: 'win-rate', period: '2026-12', row: `${sm}#competitor#Rival AG`, add: { count: 1 } });
  });

  it('the forecast weights the value by the probability, in the expected close month', () => {
    const counts = totalsOf(dealCounts(opportunityDeal({ opportunity: opportunity({ probability: 25, expectedCloseOn: '2027-02-15' }) })));
    expect(counts).toContainEqual({
      report: 'forecast',
      period: '2027-02',
      row: `${sm}#prospect`,
      add: { count: 1, valuePence: 4_000_000, weightedPence: 1_000_000 },
    });
  });

  it('equipment checks: yes is OK, no a corrective action, by the month answered', () => {
    const order = (id: string, status: string) =>
      orderSnapshot({
        id,
        owner: sm,
        totalGbp: 1,
        createdAt: '2026-06-01T00:00:00.000Z',
        updatedAt: '2026-09-01T00:00:00.000Z',
        followUps: { equipmentCheck: { status, answeredAt: '2026-09-01T00:00:00.000Z' } },
      });
    const deal = { ...emptyDeal(), orders: { a: order('a', 'yes'), b: order('b', 'yes'), c: order('c', 'no') } };
    const report = assembleReport(
      'after-shipment',
      rowsOf(deal).filter((r) => r.report === 'after-shipment'),
      ['2026-09'],
    );
    expect(report).toMatchObject({ totals: { ok: 2, corrective: 1, okShare: 66.7 } });
  });
});

describe('reports from rollup rows', () => {
  it('months between two months, across a year', () => {
    expect(monthsBetween({ from: '2026-11', to: '2027-02' })).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(defaultRange('conversion', new Date('2026-12-02T00:00:00Z'))).toEqual({ from: '2026-01', to: '2026-12' });
    expect(defaultRange('forecast', new Date('2026-12-02T00:00:00Z'))).toEqual({ from: '2026-12', to: '2027-11' });
  });

  it('conversion rates from the counts', () => {
    const rows: RollupRow[] = [
      { period: '2026-10', row: `${sm}#email`, fields: { suspects: 4, prospects: 2, quotes: 1 } },
      { period: '2026-10', row: `${sm}#phone`, fields: { suspects: 1, prospects: 1, orders: 1 } },
    ];
    const report = assembleReport('conversion', rows, ['2026-10']) as ReturnType<typeof import('#domain/reports').conversionReport>;
    expect(report.totals).toEqual({ suspects: 5, prospects: 3, quotes: 1, orders: 1, prospectRate: 60, quoteRate: 33.3, orderRate: 100 });
    expect(report.table.rows).toEqual([
      ['2026-10', 'email', 4, 2, 1, 0],
      ['2026-10', 'phone', 1, 1, 0, 1],
    ]);
  });

  it('campaign cost per lead, qualified lead and order', () => {
    const report = assembleReport(
      'campaigns',
      [
        {
          period: '2026-08',
          row: 'c1',
          fields: { costPence: 300_000, leads: 3, qualified: 2, orders: 1 },
          labels: { name: 'Show', kind: 'trade-show' },
        },
      ],
      [],
    );
    expect(report).toMatchObject({
      campaigns: [{ name: 'Show', costGbp: 3000, costPerLeadGbp: 1000, costPerQualifiedLeadGbp: 1500, costPerOrderGbp: 3000 }],
    });
  });
});
