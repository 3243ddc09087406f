import { describe, expect, it } from 'vitest';
import { placeOrder, withoutPrices } from '#domain/order';
import {
  buildFromQuote,
  differencesFromQuote,
  netUnitPrice,
  orderLinesOf,
  quoteNotOrderable,
  reasonMissing,
} from '#domain/order-from-quote';
import { defaultVatRates, type Quote, quoteTotalsWithVat, vatFor } from '#domain/quote';
import { account } from '../fixtures/records';

/** R20: an order built from the signed quote, and what it says where it departs from it. */
const quoteLines = [
  { sku: 'TX-200', description: 'Inline leak tester', quantity: 2, unitPriceGbp: 18_500, discountPercent: 5 },
  { sku: 'FX-10', description: 'Bottle fixture, 1 litre', quantity: 3, unitPriceGbp: 1000.05, discountPercent: 15 },
];
const signedQuote = (fields: Partial<Quote> = {}) =>
  ({
    id: 'quote-1',
    number: 'Q-2026-0042',
    opportunityId: 'opp-1',
    status: 'sent',
    request: { lines: quoteLines, proposalSummary: 'Two testers', nonStandardRequirements: null, validForDays: 30 },
    totals: quoteTotalsWithVat(quoteLines, vatFor('GB', defaultVatRates)),
    signature: { signer: 'sm@x.test', signedAt: '2026-11-02T10:00:00.000Z', algorithm: 'SHA-256', sha256: 'ab', via: 'internal' },
    transmission: { at: '2026-11-02T10:01:00.000Z', to: 'buyer@acme.test', emailId: 'e-1', followUpAt: '2026-11-09T10:01:00.000Z' },
    ...fields,
  }) as Quote;

describe('the quote as order lines', () => {
  it('copies SKU, description and quantity, at the unit price after the discount, to the penny', () => {
    expect(orderLinesOf(signedQuote())).toEqual([
      { sku: 'TX-200', description: 'Inline leak tester', quantity: 2, unitPrice: 17_575 },
      { sku: 'FX-10', description: 'Bottle fixture, 1 litre', quantity: 3, unitPrice: 850.04 },
    ]);
    expect(netUnitPrice({ unitPriceGbp: 99.99, discountPercent: 0 })).toBe(99.99);
    expect(netUnitPrice({ unitPriceGbp: 10, discountPercent: 100 })).toBe(0);
  });

  it('an order just as quoted has no differences and needs no reason; its total is the signed net total', () => {
    const built = buildFromQuote(signedQuote(), {});
    expect(built.fromQuote).toMatchObject({ quoteId: 'quote-1', number: 'Q-2026-0042', differences: [] });
    expect(reasonMissing(built.fromQuote)).toBe(false);
    const placed = placeOrder(
      account({ name: 'Acme' }),
      undefined,
      { accountId: 'acc-1', poNumber: 'PO-1', lines: built.lines, userContact: { name: 'Una', email: 'una@acme.test' } },
      { orderId: 'o-1', registrationId: 'SR-1', entryId: 'e-1' },
      'admin@x.test',
      '2026-11-03T09:00:00.000Z',
      built.fromQuote,
    );
    // 2 x 17,575 + 3 x 1,000.05 less 15% (2,550.13 on the quote; 3 x 850.04 would be 2,550.12).
    expect(placed.order.totalGbp).toBe(37_700.13);
    expect(placed.order.fromQuote?.quoted).toEqual({ netGbp: 37_700.13, vatGbp: 7540.03, grossGbp: 45_240.16, vatWording: 'VAT at 20%' });
    expect(placed.entry.summary).toContain('as quote Q-2026-0042');
    expect(placed.entry.summary).not.toMatch(/\bR\d+\b/);
  });

  it('the same lines in another order, or reworded, are no difference', () => {
    const quoted = orderLinesOf(signedQuote());
    expect(
      differencesFromQuote(
        quoted,
        [...quoted].reverse().map((line) => ({ ...line, description: `${line.description} (as agreed)` })),
      ),
    ).toEqual([]);
  });
});

describe('an order that departs from its quote', () => {
  const quoted = orderLinesOf(signedQuote());

  it('names each quantity and price changed, each line added and each left out, in words', () => {
    expect(differencesFromQuote(quoted, [{ ...quoted[0]!, quantity: 3 }, quoted[1]!])).toEqual([
      'TX-200: quantity 2 on the quote, 3 on the order',
    ]);
    expect(differencesFromQuote(quoted, [quoted[0]!, { ...quoted[1]!, unitPrice: 800 }])).toEqual([
      'FX-10: £850.04 each on the quote, £800.00 on the order',
    ]);
    expect(differencesFromQuote(quoted, [quoted[0]!])).toEqual([
      'FX-10 is on the quote but not on the order (3 x Bottle fixture, 1 litre at £850.04 each)',
    ]);
    expect(differencesFromQuote(quoted, [...quoted, { sku: 'TRN-1', description: 'Training day', quantity: 1, unitPrice: 950 }])).toEqual([
      'TRN-1 is on the order but not on the quote (1 x Training day at £950.00 each)',
    ]);
  });

  it('a SKU changed is one line left out and another added', () => {
    expect(differencesFromQuote(quoted, [quoted[0]!, { ...quoted[1]!, sku: 'FX-30' }])).toEqual([
      'FX-10 is on the quote but not on the order (3 x Bottle fixture, 1 litre at £850.04 each)',
      'FX-30 is on the order but not on the quote (3 x Bottle fixture, 1 litre at £850.04 each)',
    ]);
  });

  it('a SKU quoted twice pairs twice: a third line of it is an addition', () => {
    const twice = [quoted[0]!, quoted[0]!];
    expect(differencesFromQuote(twice, [quoted[0]!, quoted[0]!])).toEqual([]);
    expect(differencesFromQuote(twice, [quoted[0]!, quoted[0]!, quoted[0]!])).toHaveLength(1);
  });

  it('needs a reason; with one, the order records the differences, the reason and its own total', () => {
    const lines = [{ ...quoted[0]!, quantity: 3 }, quoted[1]!];
    expect(reasonMissing(buildFromQuote(signedQuote(), { lines }).fromQuote)).toBe(true);
    const built = buildFromQuote(signedQuote(), { lines, differenceReason: 'A third tester for the new line, agreed by phone' });
    expect(reasonMissing(built.fromQuote)).toBe(false);
    expect(built.fromQuote).toMatchObject({
      differences: ['TX-200: quantity 2 on the quote, 3 on the order'],
      reason: 'A third tester for the new line, agreed by phone',
    });
    const placed = placeOrder(
      account({ name: 'Acme' }),
      undefined,
      { accountId: 'acc-1', poNumber: 'PO-2', lines: built.lines, userContact: { name: 'Una', email: 'una@acme.test' } },
      { orderId: 'o-2', registrationId: 'SR-2', entryId: 'e-2' },
      'admin@x.test',
      '2026-11-03T09:00:00.000Z',
      built.fromQuote,
    );
    expect(placed.order.totalGbp).toBe(3 * 17_575 + 3 * 850.04);
    expect(placed.entry.summary).toContain('from quote Q-2026-0042 with 1 difference: A third tester');
  });

  it('a reason given where nothing differs is not kept', () => {
    expect(buildFromQuote(signedQuote(), { differenceReason: 'Just in case' }).fromQuote.reason).toBeUndefined();
  });

  it('those who read an order without prices read its differences without amounts', () => {
    const built = buildFromQuote(signedQuote(), {
      lines: [quoted[0]!, { ...quoted[1]!, unitPrice: 800 }],
      differenceReason: 'Price matched',
    });
    const view = withoutPrices({ lines: built.lines, totalGbp: 1, fromQuote: built.fromQuote });
    expect(view.fromQuote).toEqual({
      quoteId: 'quote-1',
      number: 'Q-2026-0042',
      differences: ['FX-10: an amount each on the quote, an amount on the order'],
      reason: 'Price matched',
    });
  });
});

describe('which quotes an order can follow', () => {
  it('only one the SM signed and that went to the customer, and not one whose contract was rejected', () => {
    expect(quoteNotOrderable(signedQuote())).toBeUndefined();
    expect(quoteNotOrderable(signedQuote({ status: 'contract-approved' }))).toBeUndefined();
    expect(quoteNotOrderable(signedQuote({ signature: undefined, transmission: undefined, status: 'awaiting-signature' }))).toMatch(
      /^Quote Q-2026-0042 has not been signed and sent to the customer yet/,
    );
    expect(quoteNotOrderable(signedQuote({ transmission: undefined, status: 'sending' }))).toMatch(/not been signed and sent/);
    expect(quoteNotOrderable(signedQuote({ status: 'contract-rejected' }))).toMatch(/formal contract on quote Q-2026-0042 was rejected/);
    // The words are the business's, never the status code.
    expect(quoteNotOrderable(signedQuote({ signature: undefined, status: 'awaiting-signature' }))).not.toMatch(/awaiting-signature/);
  });
});
