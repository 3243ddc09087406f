import { money } from '#domain/money';
import { printedDocument } from './printed-page';
import type { Quote } from './quote';

export { sha256 } from './document-hash';

/** R16/R17: the quote and technical proposal as one PDF, the exact bytes the SM signs and the customer receives. */

export const quoteFilename = (quote: Pick<Quote, 'id'>) => `quote-${quote.id.slice(0, 8)}.pdf`;

export const renderQuoteDocument = (quote: Quote, renderedAt: string): Promise<Uint8Array> =>
  printedDocument(
    {
      title: `Quote ${quote.id}`,
      author: quote.owner,
      subject: `Quote and technical proposal for ${quote.customer.company}`,
      at: renderedAt,
    },
    ({ write, gap }) => {
      write('Quotation and technical proposal', { bold: true, size: 18 });
      gap();
      write(`For: ${quote.customer.name}, ${quote.customer.company}`);
      write(`Quote: ${quote.id}`);
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
      write(`Total ${money(quote.totals.netGbp)} (excluding VAT)`, { bold: true, size: 12 });
      const terms = quote.prepared.quote;
      if (terms) {
        gap();
        write(`Payment: ${terms.paymentTerms}`);
        write(`Delivery: ${terms.deliveryTerms}`);
        if (terms.notes) write(terms.notes);
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
