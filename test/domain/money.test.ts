import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderQuoteDocument } from '#adapters/pdf-documents';
import { money } from '#domain/money';
import { placeOrder } from '#domain/order';
import { orderAcknowledgementEmail } from '#domain/order-correspondence';
import { defaultQuoteLimits, defineQuote, type QuoteLine } from '#domain/quote';
import { customerQuoteEmail } from '#domain/quote-correspondence';
import { sha256 } from '#domain/quote-document';
import { pdfText } from '../fixtures/pdf-text';
import { account, opportunity } from '../fixtures/records';

/**
 * One amount prints one way: the customer's email, the PDF they sign and the page a person opens
 * all say £18,050.30 (not £18,050.3 or £18,050), and £18,050.00 for whole pounds.
 */

// page.js reads the site's config from window when it loads; its gbp() needs nothing else.
(globalThis as { window?: unknown }).window ??= {};
const { gbp } = (await import(pathToFileURL(resolve('web/assets/page.js')).href)) as { gbp: (value: number | undefined) => string };

const orderFor = (unitPrice: number) =>
  placeOrder(
    account(),
    undefined,
    {
      accountId: 'acc-1',
      poNumber: 'PO-42',
      lines: [{ sku: 'TX-200', description: 'Tester', quantity: 1, unitPrice }],
      userContact: { name: 'Una', email: 'una@acme.test' },
      system: { model: 'TX-200', serialNumbers: ['SN-1'] },
    },
    { orderId: 'ord-1', registrationId: 'SR-1', entryId: 'e-1' },
    'admin@x.test',
    '2026-11-23T10:00:00.000Z',
  ).order;

const quoteOf = (lines: QuoteLine[]) =>
  defineQuote(
    opportunity(),
    { name: 'Ann', email: 'ann@acme.test', company: 'Acme' },
    { lines, proposalSummary: 'Testers', nonStandardRequirements: null, validForDays: 30 },
    { quoteId: 'q-1', executionArn: 'arn:exec', number: 'Q-2026-0001' },
    { limits: defaultQuoteLimits, approvers: { salesDirector: 'sd@x.test', finance: 'fin@x.test', managingDirector: 'md@x.test' } },
    { email: 'sm@x.test', roles: ['SalesManager'] },
    '2026-11-02T00:00:00.000Z',
  ).quote;

/** Every amount a text prints, each as printed. */
const amountsIn = (text: string) => [...text.matchAll(/-?£[\d,]+(?:\.\d+)?/g)].map(([found]) => found);
/** An amount printed the one way: what money() makes of the number it shows. */
const printedOneWay = (found: string) => expect(found).toBe(money(Number(found.replace(/[£,]/g, ''))));

describe('an amount prints the same in an email, a PDF and a page', () => {
  it.each([
    [18_050.3, '£18,050.30'],
    [18_050, '£18,050.00'],
    [0.1, '£0.10'],
  ])('%s is %s everywhere', async (amount, printed) => {
    expect(money(amount)).toBe(printed);
    expect(gbp(amount)).toBe(printed);

    const acknowledgement = orderAcknowledgementEmail(orderFor(amount), 'm-1').text;
    expect(amountsIn(acknowledgement)).toContain(printed);

    const quote = quoteOf([{ sku: 'TX-200', description: 'Tester', quantity: 1, unitPriceGbp: amount, discountPercent: 0 }]);
    const pdf = await renderQuoteDocument(quote, '2026-11-03T00:00:00.000Z');
    expect(amountsIn(pdfText(pdf))).toContain(printed);
    const email = customerQuoteEmail(quote, { filename: 'q.pdf', content: pdf, sha256: sha256(pdf) }).text;
    expect(amountsIn(email).length).toBeGreaterThan(0);

    for (const found of [...amountsIn(acknowledgement), ...amountsIn(pdfText(pdf)), ...amountsIn(email)]) printedOneWay(found);
  });

  it("a page shows a dash for an amount it wasn't given", () => {
    expect(gbp(undefined)).toBe('—');
  });
});
