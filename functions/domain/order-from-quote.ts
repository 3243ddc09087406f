import { money } from '#domain/money';
import type { OrderLine } from './order';
import type { Quote, QuoteLine } from './quote';

/**
 * R20: an order built from the quote the SM signed and the customer received. Its lines are the
 * quote's, each at its net unit price; where the order departs from them, the order says how and
 * why, so nobody has to compare the PO with the PDF by eye.
 */

/** What an order keeps of the quote it was built from. */
export interface FromQuote {
  quoteId: string;
  number: string;
  /** Each way the order's lines depart from the quote's, in words. Empty when they match. */
  differences: string[];
  /** Why they depart; required when there are differences. */
  reason?: string;
  /** The totals the customer signed for, as the quote had them. */
  quoted: { netGbp: number; vatGbp: number; grossGbp: number; vatWording: string };
}

/** The unit price after the line's discount, to the penny: what the customer pays for one. */
export const netUnitPrice = (line: Pick<QuoteLine, 'unitPriceGbp' | 'discountPercent'>): number =>
  Math.round((Math.round(line.unitPriceGbp * 100) * (100 - line.discountPercent)) / 100) / 100;

/** The quote's lines as an order's. */
export const orderLinesOf = (quote: Pick<Quote, 'request'>): OrderLine[] =>
  quote.request.lines.map((line) => ({
    sku: line.sku,
    description: line.description,
    quantity: line.quantity,
    unitPrice: netUnitPrice(line),
  }));

/**
 * Why an order cannot be built from this quote, or undefined: only a quote the SM signed and that
 * went to the customer, and not one whose formal contract the MD turned down.
 */
export const quoteNotOrderable = (quote: Pick<Quote, 'number' | 'signature' | 'transmission' | 'status'>): string | undefined => {
  if (!quote.signature || !quote.transmission)
    return `Quote ${quote.number} has not been signed and sent to the customer yet: an order can only follow a signed quote`;
  if (quote.status === 'contract-rejected') return `The formal contract on quote ${quote.number} was rejected: no order can follow it`;
  return undefined;
};

const each = (line: OrderLine) => `${line.quantity} x ${line.description} at ${money(line.unitPrice)} each`;

/**
 * How the ordered lines depart from the quoted ones, in words. Lines pair by SKU, in order (a SKU
 * quoted twice pairs twice); a description reworded is no difference, a quantity or price is.
 */
export const differencesFromQuote = (quoted: readonly OrderLine[], ordered: readonly OrderLine[]): string[] => {
  const unmatched = [...ordered];
  const differences: string[] = [];
  for (const line of quoted) {
    const at = unmatched.findIndex((candidate) => candidate.sku === line.sku);
    if (at < 0) {
      differences.push(`${line.sku} is on the quote but not on the order (${each(line)})`);
      continue;
    }
    const [match] = unmatched.splice(at, 1);
    if (match!.quantity !== line.quantity)
      differences.push(`${line.sku}: quantity ${line.quantity} on the quote, ${match!.quantity} on the order`);
    if (Math.round(match!.unitPrice * 100) !== Math.round(line.unitPrice * 100)) {
      differences.push(`${line.sku}: ${money(line.unitPrice)} each on the quote, ${money(match!.unitPrice)} on the order`);
    }
  }
  for (const line of unmatched) differences.push(`${line.sku} is on the order but not on the quote (${each(line)})`);
  return differences;
};

/**
 * The order's lines and what it keeps of the quote: the quote's lines when none are sent, else the
 * lines sent, compared with the quote's. Differences without a reason are the caller's to refuse
 * (see `reasonMissing`).
 */
export const buildFromQuote = (
  quote: Pick<Quote, 'id' | 'number' | 'request' | 'totals'>,
  request: { lines?: OrderLine[]; differenceReason?: string },
): { lines: OrderLine[]; fromQuote: FromQuote } => {
  const quoted = orderLinesOf(quote);
  const lines = request.lines ?? quoted;
  const differences = differencesFromQuote(quoted, lines);
  return {
    lines,
    fromQuote: {
      quoteId: quote.id,
      number: quote.number,
      differences,
      ...(differences.length && request.differenceReason ? { reason: request.differenceReason } : {}),
      quoted: {
        netGbp: quote.totals.netGbp,
        vatGbp: quote.totals.vatGbp,
        grossGbp: quote.totals.grossGbp,
        vatWording: quote.totals.vat.wording,
      },
    },
  };
};

/** An order that departs from its quote must say why. */
export const reasonMissing = (fromQuote: FromQuote): boolean => fromQuote.differences.length > 0 && !fromQuote.reason;
