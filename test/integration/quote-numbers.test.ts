import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stack, stackClient } from './local-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * Issue 16: quote numbers Q-<year>-NNNN are sequential per calendar year without gaps. Quotes
 * created at the same moment take consecutive numbers (the counter is written in each quote's own
 * transaction, conditionally); a retried create answers with its first number and spends none.
 */
const client = stackClient(stack);
const { api, tokenFor } = client;
const { opportunity } = quoteJourney(client);

const sequenceOf = (number: string) => {
  const [, year, sequence] = /^Q-(\d{4})-(\d{4,})$/.exec(number) ?? [];
  expect(year, number).toBe(String(new Date().getUTCFullYear()));
  return Number(sequence);
};

describe('quote numbers', () => {
  it('concurrent quotes get consecutive numbers, and a retry keeps its own', async () => {
    const { opportunityId } = await opportunity();
    const sm = await tokenFor(people.sm, 'SalesManager');
    const body = (n: number) => ({
      lines: [line(1000 + n)],
      proposalSummary: `Quote ${n}`,
      nonStandardRequirements: null,
      validForDays: 30,
    });
    const create = (n: number, key = randomUUID()) =>
      api('POST', `/opportunities/${opportunityId}/quotes`, { body: body(n), token: sm, headers: { 'idempotency-key': key } });

    const first = await create(0);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const start = sequenceOf(first.body.number);

    const keys = Array.from({ length: 6 }, () => randomUUID());
    const together = await Promise.all(keys.map((key, n) => create(n + 1, key)));
    for (const answer of together) expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const numbers = together.map((answer) => sequenceOf(answer.body.number)).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6].map((n) => start + n));

    // The same request again (a lost answer, a 503): the first answer, the same number, nothing spent.
    const retried = await create(3, keys[2]);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual(together[2]!.body);
    const next = await create(7);
    expect(sequenceOf(next.body.number)).toBe(start + 7);

    // The number is on the quote itself, and in the opportunity's list of quotes.
    const quote = await api('GET', `/quotes/${together[0]!.body.quoteId}`, { token: sm });
    expect(quote.body.number).toBe(together[0]!.body.number);
    expect(quote.body.totals).toMatchObject({ vat: { country: 'GB', ratePercent: 20 }, vatGbp: 200.2, grossGbp: 1201.2 });
    const listed = await api('GET', `/opportunities/${opportunityId}`, { token: sm });
    expect(listed.body.quotes.map((q: { number: string }) => q.number).sort()).toEqual(
      [first, ...together, next].map((answer) => answer.body.number).sort(),
    );
  });

  it('the price list: Sales Admin sets products by SKU, the SM reads them', async () => {
    const admin = await tokenFor(people.salesAdmin, 'SalesAdmin');
    const sku = `NQ-${randomUUID().slice(0, 8)}`;
    const added = await api('POST', '/products', { body: { sku, description: 'Numbered tester', unitPriceGbp: 995 }, token: admin });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const changed = await api('POST', '/products', {
      body: { sku: sku.toLowerCase(), description: 'Numbered tester', unitPriceGbp: 1095 },
      token: admin,
    });
    expect(changed.status).toBe(200);
    const bad = await api('POST', '/products', { body: { sku, description: 'x', unitPriceGbp: -1 }, token: admin });
    expect(bad.status).toBe(400);
    const list = await api('GET', '/products', { token: await tokenFor(people.sm, 'SalesManager') });
    expect(list.status).toBe(200);
    expect(list.body.products.filter((p: { sku: string }) => p.sku === sku.toUpperCase())).toEqual([
      expect.objectContaining({ sku: sku.toUpperCase(), unitPriceGbp: 1095, updatedBy: people.salesAdmin }),
    ]);
    const refused = await api('POST', '/products', {
      body: { sku, description: 'x', unitPriceGbp: 1 },
      token: await tokenFor(people.sm, 'SalesManager'),
    });
    expect(refused.status).toBe(403);
  });
});
