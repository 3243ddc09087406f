import { money } from '#domain/money';
import { defaultLetterhead, type Letterhead } from './letterhead';
import { type PrintedDocument, printedDocument } from './printed-document';
import type { Quote, VatApplied } from './quote';

export { sha256 } from './document-hash';

/** R16/R17: the quote and technical proposal as one PDF, the exact bytes the SM signs and the customer receives. */

/** The number names the file the customer saves, quote-Q-2026-0042.pdf. */
export const quoteFilename = (quote: Pick<Quote, 'id' | 'number'>) =>
  quote.number ? `quote-${quote.number}.pdf` : `quote-${quote.id.slice(0, 8)}.pdf`;

/** How the VAT line reads: the rate and country, or why there is none. */
export const vatLine = (vat: VatApplied) =>
  vat.ratePercent ? `VAT at ${vat.ratePercent}% (${vat.country})` : `VAT 0%: zero-rated export (${vat.country})`;

export const quoteDocument = (quote: Quote, renderedAt: string, from: Letterhead = defaultLetterhead): PrintedDocument =>
  printedDocument(
    {
      title: `Quote ${quote.number ?? quote.id}`,
      author: quote.owner,
      subject: `Quote and technical proposal for ${quote.customer.company}`,
      at: renderedAt,
    },
    ({ write, gap }) => {
      // The letterhead: who the quote is from, as the customer files it.
      write(from.companyName, { bold: true, size: 14 });
      for (const line of from.addressLines) write(line, { size: 9 });
      write(`Tel ${from.phone}  |  ${from.website}  |  VAT No. ${from.vatNumber}`, { size: 9 });
      gap(22);
      write(`Quotation ${quote.number ?? ''}`.trim(), { bold: true, size: 18 });
      write('Quotation and technical proposal', { size: 11 });
      gap();
      write(`For: ${quote.customer.name}, ${quote.customer.company}${quote.customer.country ? ` (${quote.customer.country})` : ''}`);
      write(`Quote number: ${quote.number ?? quote.id}`);
      write(`Date: ${renderedAt.slice(0, 10)}; valid for ${quote.request.validForDays} days`);
      write(`Your sales manager: ${quote.owner}`);
      gap(12);
      write('Quotation', { bold: true, size: 13 });
      for (const line of quote.request.lines) {
        const net = line.unitPriceGbp * line.quantity * (1 - line.discountPercent / 100);
        write(`${line.quantity} x ${line.sku} ${line.description}`, { bold: true });
        write(`at ${money(line.unitPriceGbp)}${line.discountPercent ? `, less ${line.discountPercent}%` : ''}: ${money(net)}`, {
          indent: 12,
        });
      }
      gap();
      write(`List price ${money(quote.totals.listGbp)}; discount ${money(quote.totals.discountGbp)}`);
      write(`Net total ${money(quote.totals.netGbp)}`, { bold: true, size: 12 });
      if (quote.totals.vat) {
        write(`${vatLine(quote.totals.vat)}: ${money(quote.totals.vatGbp)}`, { size: 11 });
        write(`Total including VAT ${money(quote.totals.grossGbp)}`, { bold: true, size: 12 });
      }
      const prepared = quote.prepared.quote;
      if (prepared) {
        for (const [heading, text] of [
          ['Payment', prepared.paymentTerms],
          ['Delivery', prepared.deliveryTerms],
          ['Terms and conditions', prepared.terms],
          ['Notes', prepared.notes],
        ] as const) {
          if (!text) continue;
          gap(6);
          write(heading, { bold: true, size: 11 });
          write(text);
        }
      }
      gap(12);
      write('Proposal', { bold: true, size: 13 });
      write(quote.request.proposalSummary);
      if (quote.prepared.proposal) {
        gap(6);
        write('Technical proposal', { bold: true, size: 11 });
        write(quote.prepared.proposal.text);
      }
    },
  );
