import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderQuoteDocument } from '#adapters/pdf-documents';
import { defaultLetterhead } from '#domain/letterhead';
import type { Opportunity } from '#domain/opportunity';
import { setProduct } from '#domain/product';
import {
  defaultQuoteLimits,
  defaultVatRates,
  defineQuote,
  type Quote,
  type QuoteLine,
  quoteNumber,
  quoteTotalsWithVat,
  vatFor,
} from '#domain/quote';
import { customerQuoteEmail } from '#domain/quote-correspondence';
import { quoteFilename } from '#domain/quote-document';

/** Issue 16: a quote fit to send: its number, VAT by the customer's country, a letterhead, separate terms. */

const opportunity: Opportunity = {
  id: 'opp-1',
  leadId: 'lead-1',
  status: 'prospect',
  owner: 'sm@x.test',
  company: 'Acme',
  qualifiedBy: 'sm@x.test',
  qualification: {} as Opportunity['qualification'],
  engineeringReview: { status: 'not-required', reasons: [] },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
} as Opportunity;
const approvers = { salesDirector: 'sd@x.test', finance: 'fin@x.test', managingDirector: 'md@x.test' };
const tester: QuoteLine = { sku: 'TX-200', description: 'Inline tester', quantity: 3, unitPriceGbp: 1234.5, discountPercent: 10 };

const define = (country: string | undefined, customerCountry?: string) =>
  defineQuote(
    opportunity,
    { name: 'Ann', email: 'ann@acme.test', company: 'Acme', ...(country ? { country } : {}) },
    {
      lines: [tester],
      proposalSummary: 'Testers',
      nonStandardRequirements: null,
      validForDays: 30,
      ...(customerCountry ? { customerCountry } : {}),
    },
    { quoteId: 'q-1', executionArn: 'arn:exec', number: quoteNumber(2026, 42) },
    { limits: defaultQuoteLimits, approvers, vat: defaultVatRates },
    { email: 'sm@x.test', roles: ['SalesManager'] },
    '2026-11-02T00:00:00.000Z',
  );

/** The text a PDF draws: its Flate content streams, each string shown (hex, WinAnsi). */
const pdfText = (pdf: Uint8Array) => {
  const raw = Buffer.from(pdf).toString('latin1');
  const shown: string[] = [];
  for (const [, body] of raw.matchAll(/\/FlateDecode[^>]*>>\s*stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const operators = inflateSync(Buffer.from(body!, 'latin1')).toString('latin1');
    for (const [, hex] of operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) shown.push(Buffer.from(hex!, 'hex').toString('latin1'));
  }
  return shown.join('\n');
};

describe('the quote number', () => {
  it('reads Q-<year>-<four digits>, and grows past 9999 rather than wrapping', () => {
    expect(quoteNumber(2026, 42)).toBe('Q-2026-0042');
    expect(quoteNumber(2027, 1)).toBe('Q-2027-0001');
    expect(quoteNumber(2026, 12345)).toBe('Q-2026-12345');
  });

  it('is on the quote and in its first timeline entry', () => {
    const { quote, entry } = define('GB');
    expect(quote.number).toBe('Q-2026-0042');
    expect(entry.summary).toContain('Q-2026-0042');
    expect(quoteFilename(quote)).toBe('quote-Q-2026-0042.pdf');
  });
});

describe('VAT by the customer country', () => {
  it.each([
    ['GB', 20],
    ['DE', 19],
    ['FR', 20],
    ['IE', 23],
    ['NL', 21],
  ])('%s pays %s%%', (country, rate) => {
    expect(vatFor(country, defaultVatRates)).toEqual({ country, ratePercent: rate, wording: `VAT at ${rate}%` });
  });

  it('a country not listed is a zero-rated export', () => {
    expect(vatFor('US', defaultVatRates)).toEqual({ country: 'US', ratePercent: 0, wording: 'zero-rated export' });
  });

  it('an unknown country is charged at home, the safe mistake', () => {
    expect(vatFor(undefined, defaultVatRates).country).toBe('GB');
  });

  it('net, VAT and gross add up to the penny', () => {
    // 3 x £1,234.50 less 10% = £3,333.15 net; VAT 19% = £633.2985 -> £633.30.
    const totals = quoteTotalsWithVat([tester], vatFor('DE', defaultVatRates));
    expect(totals).toMatchObject({ netGbp: 3333.15, vatGbp: 633.3, grossGbp: 3966.45 });
  });

  it("the quote's country, when given, goes before the lead's", () => {
    const { quote } = define('GB', 'US');
    expect(quote.customer.country).toBe('US');
    expect(quote.totals).toMatchObject({ vatGbp: 0, grossGbp: quote.totals.netGbp, vat: { wording: 'zero-rated export' } });
  });
});

describe('the quote PDF', () => {
  const prepared = (quote: Quote): Quote => ({
    ...quote,
    prepared: {
      quote: {
        by: 'admin@x.test',
        at: '2026-11-03T00:00:00.000Z',
        paymentTerms: '30 days net',
        deliveryTerms: 'DAP Munich, 6 weeks',
        terms: 'Our conditions of sale 2026',
      },
    },
  });

  it('carries the letterhead, the number, net, VAT, gross and each term under its own heading', async () => {
    const text = pdfText(await renderQuoteDocument(prepared(define('DE').quote), '2026-11-03T00:00:00.000Z', defaultLetterhead));
    for (const expected of [
      defaultLetterhead.companyName,
      ...defaultLetterhead.addressLines,
      `VAT No. ${defaultLetterhead.vatNumber}`,
      defaultLetterhead.website,
      'Quotation Q-2026-0042',
      'Net total £3,333.15',
      'VAT at 19% (DE): £633.30',
      'Total including VAT £3,966.45',
      'Payment',
      '30 days net',
      'Delivery',
      'DAP Munich, 6 weeks',
      'Terms and conditions',
      'Our conditions of sale 2026',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('says why an export carries no VAT', async () => {
    const text = pdfText(await renderQuoteDocument(define('US').quote, '2026-11-03T00:00:00.000Z'));
    expect(text).toContain('VAT 0%: zero-rated export (US)');
  });

  it('the email to the customer names the number and the amount with VAT', () => {
    const quote = define('GB').quote;
    const email = customerQuoteEmail(quote, { filename: quoteFilename(quote), content: new Uint8Array(), sha256: 'abc' });
    expect(email.subject).toContain('Q-2026-0042');
    expect(email.text).toContain('£3,999.78 with VAT at 20%');
  });
});

describe('a product of the price list', () => {
  it('is keyed by its SKU as people type it, in capitals', () => {
    expect(
      setProduct(
        { sku: 'tx-200', description: 'Inline tester', unitPriceGbp: 1234.5 },
        { email: 'admin@x.test', roles: ['SalesAdmin'] },
        '2026-11-02T00:00:00.000Z',
      ),
    ).toEqual({
      sku: 'TX-200',
      description: 'Inline tester',
      unitPriceGbp: 1234.5,
      updatedBy: 'admin@x.test',
      updatedAt: '2026-11-02T00:00:00.000Z',
    });
  });
});

describe('the VAT setting', () => {
  it('is refused when a rate is not a percentage, rather than printed on every quote', async () => {
    const { settingNames, vatRates } = await import('#functions/config');
    const before = process.env[settingNames.vatRates];
    try {
      process.env[settingNames.vatRates] = JSON.stringify({ rates: { GB: 20, DE: 119 } });
      expect(() => vatRates()).toThrow(/SALESFLOW_VAT_RATES/);
      process.env[settingNames.vatRates] = JSON.stringify({ rates: { GB: 20, CH: 8.1 } });
      expect(vatRates()).toEqual({ rates: { GB: 20, CH: 8.1 }, home: 'GB' });
    } finally {
      process.env[settingNames.vatRates] = before;
    }
  });
});
