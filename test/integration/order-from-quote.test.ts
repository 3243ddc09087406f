import { beforeAll, describe, expect, it } from 'vitest';
import { stack, stackClient } from './local-stack';
import { orderJourney, orderPeople } from './order-journey';
import { signedQuote } from './signed-quote';

/**
 * R20 over HTTP: the order built from the quote the SM signed and the customer received. Its lines
 * are the quote's; a departure from them needs a reason, and is recorded and shown with it.
 */
const client = stackClient(stack);
const { api, tokenFor, settledItemCount } = client;
const { customer, getOrder, admin } = orderJourney(client);

const quoted = [
  { sku: 'TX-200', description: 'Inline leak tester', quantity: 2, unitPriceGbp: 18_500, discountPercent: 5 },
  { sku: 'FX-10', description: 'Bottle fixture, 1 litre', quantity: 3, unitPriceGbp: 1000.05, discountPercent: 10 },
];
// The net unit prices: 18,500 less 5%, 1,000.05 less 10% to the penny.
const asOrdered = [
  { sku: 'TX-200', description: 'Inline leak tester', quantity: 2, unitPrice: 17_575 },
  { sku: 'FX-10', description: 'Bottle fixture, 1 litre', quantity: 3, unitPrice: 900.05 },
];

let signed: Awaited<ReturnType<typeof signedQuote>>;
let buyer: Awaited<ReturnType<typeof customer>>;
beforeAll(async () => {
  signed = await signedQuote(client, quoted);
  buyer = await customer({ name: signed.company });
}, 120_000);

const post = async (body: Record<string, unknown>) =>
  api('POST', '/orders', { body: { accountId: buyer.accountId, userContact: buyer.user, ...body }, token: await admin() });

describe('an order from the signed quote', () => {
  it("copies the quote's lines at their net prices and its totals; the order names the quote and its opportunity", async () => {
    const placed = await post({ quoteId: signed.quoteId, poNumber: `${buyer.po}-A` });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = await getOrder(placed.body.id);
    const quote = (await api('GET', `/quotes/${signed.quoteId}`, { token: await admin() })).body;
    expect(order.lines).toEqual(asOrdered);
    expect(order.opportunityId).toBe(signed.opportunityId);
    expect(order.totalGbp).toBe(quote.totals.netGbp);
    expect(order.fromQuote).toEqual({
      quoteId: signed.quoteId,
      number: signed.number,
      differences: [],
      quoted: { netGbp: quote.totals.netGbp, vatGbp: quote.totals.vatGbp, grossGbp: quote.totals.grossGbp, vatWording: 'VAT at 20%' },
    });
    expect(order.timeline[0].summary).toContain(`as quote ${signed.number}`);
    // The same lines sent back, in another order, are no difference either.
    const same = await post({
      quoteId: signed.quoteId,
      opportunityId: signed.opportunityId,
      poNumber: `${buyer.po}-B`,
      lines: [...asOrdered].reverse(),
    });
    expect(same.status, JSON.stringify(same.body)).toBe(201);
    expect((await getOrder(same.body.id)).fromQuote.differences).toEqual([]);
  });

  it('a changed line without a reason is refused, naming the field, and nothing is written; with one it is recorded and shown', async () => {
    const changed = [
      { ...asOrdered[0]!, quantity: 3 },
      { ...asOrdered[1]!, unitPrice: 850 },
    ];
    const before = await settledItemCount();
    const refused = await post({ quoteId: signed.quoteId, poNumber: `${buyer.po}-C`, lines: changed });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        path: 'differenceReason',
        message: `say why the order differs from quote ${signed.number}: TX-200: quantity 2 on the quote, 3 on the order; FX-10: £900.05 each on the quote, £850.00 on the order`,
      },
    ]);
    expect(await settledItemCount()).toBe(before);

    const reason = 'A third tester for the second line, and the fixture price agreed by phone with the buyer';
    const placed = await post({ quoteId: signed.quoteId, poNumber: `${buyer.po}-C`, lines: changed, differenceReason: reason });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = await getOrder(placed.body.id);
    expect(order.fromQuote).toMatchObject({
      quoteId: signed.quoteId,
      number: signed.number,
      differences: ['TX-200: quantity 2 on the quote, 3 on the order', 'FX-10: £900.05 each on the quote, £850.00 on the order'],
      reason,
    });
    expect(order.totalGbp).toBe(3 * 17_575 + 3 * 850);
    expect(order.timeline[0].summary).toContain(`from quote ${signed.number} with 2 differences: ${reason}`);

    // Production reads the order without prices: the differences too.
    const production = await api('GET', `/orders/${placed.body.id}`, { token: await tokenFor(orderPeople.production, 'Production') });
    expect(production.body.fromQuote.differences[1]).toBe('FX-10: an amount each on the quote, an amount on the order');
    expect(production.body.fromQuote.quoted).toBeUndefined();
  });

  it('a line added or left out needs a reason too', async () => {
    const before = await settledItemCount();
    const added = await post({
      quoteId: signed.quoteId,
      poNumber: `${buyer.po}-D`,
      lines: [...asOrdered, { sku: 'TRN-1', description: 'Training day', quantity: 1, unitPrice: 950 }],
    });
    expect(added.status).toBe(400);
    expect(added.body.errors[0].message).toContain('TRN-1 is on the order but not on the quote');
    const left = await post({ quoteId: signed.quoteId, poNumber: `${buyer.po}-D`, lines: [asOrdered[0]] });
    expect(left.status).toBe(400);
    expect(left.body.errors[0].message).toContain('FX-10 is on the quote but not on the order');
    expect(await settledItemCount()).toBe(before);
  });
});

describe('quotes an order cannot follow', () => {
  it('an unknown quote, one not signed, one of another opportunity or customer: each refused, saying so, and nothing written', async () => {
    const unsigned = await signedQuote(client, quoted, { sign: false });
    const other = await customer({ name: unsigned.company });
    const stranger = await customer();
    const before = await settledItemCount();

    const unknown = await post({ quoteId: crypto.randomUUID(), poNumber: `${buyer.po}-E` });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'quoteId', message: 'no such quote' }]);

    const notSigned = await api('POST', '/orders', {
      body: { accountId: other.accountId, quoteId: unsigned.quoteId, poNumber: other.po, userContact: other.user },
      token: await admin(),
    });
    expect(notSigned.status).toBe(409);
    expect(notSigned.body.message).toBe(
      `Quote ${unsigned.number} has not been signed and sent to the customer yet: an order can only follow a signed quote`,
    );
    expect(notSigned.body.errors[0].path).toBe('quoteId');

    const otherOpportunity = await post({ quoteId: signed.quoteId, opportunityId: unsigned.opportunityId, poNumber: `${buyer.po}-E` });
    expect(otherOpportunity.status).toBe(400);
    expect(otherOpportunity.body.errors[0].path).toBe('quoteId');
    expect(otherOpportunity.body.errors[0].message).toContain('of another opportunity');

    const otherCustomer = await api('POST', '/orders', {
      body: { accountId: stranger.accountId, quoteId: signed.quoteId, poNumber: stranger.po, userContact: stranger.user },
      token: await admin(),
    });
    expect(otherCustomer.status).toBe(400);
    expect(otherCustomer.body.errors).toEqual([{ path: 'quoteId', message: `is ${signed.company}'s, not ${stranger.name}'s` }]);

    const reasonWithoutQuote = await post({ poNumber: `${buyer.po}-E`, lines: asOrdered, differenceReason: 'Why not' });
    expect(reasonWithoutQuote.status).toBe(400);
    expect(reasonWithoutQuote.body.errors[0].path).toBe('differenceReason');
    const noLines = await post({ poNumber: `${buyer.po}-E` });
    expect(noLines.status).toBe(400);
    expect(noLines.body.errors[0].path).toBe('lines');
    expect(await settledItemCount()).toBe(before);
  });
});
