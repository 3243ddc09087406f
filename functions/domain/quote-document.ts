import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from '@pdfme/pdf-lib';
import { createHash } from 'node:crypto';
import type { Quote } from './quote';

/**
 * R16/R17: the quote and technical proposal as one PDF, the exact bytes the SM signs and the
 * customer receives. Rendering is deterministic (fixed dates in the metadata), so the same quote
 * always gives the same bytes and the same SHA-256.
 */

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const money = (gbp: number) => `£${gbp.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The standard PDF fonts speak WinAnsi; anything else becomes '?' rather than breaking the render. */
const printable = (text: string) => text.replace(/[^\x20-\x7E\xA0-\xFF£€]/g, '?');

export const quoteFilename = (quote: Pick<Quote, 'id'>) => `quote-${quote.id.slice(0, 8)}.pdf`;

export const renderQuoteDocument = async (quote: Quote, renderedAt: string): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  const at = new Date(renderedAt);
  pdf.setTitle(`Quote ${quote.id}`);
  pdf.setAuthor(quote.owner);
  pdf.setSubject(`Quote and technical proposal for ${printable(quote.customer.company)}`);
  pdf.setProducer('salesflow');
  pdf.setCreator('salesflow');
  pdf.setCreationDate(at);
  pdf.setModificationDate(at);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 800;
  const margin = 50;
  const write = (text: string, options: { font?: PDFFont; size?: number; x?: number } = {}) => {
    const size = options.size ?? 10;
    const font = options.font ?? regular;
    for (const line of wrap(printable(text), font, size, 495 - (options.x ?? 0))) {
      if (y < 60) {
        page = pdf.addPage([595, 842]);
        y = 800;
      }
      page.drawText(line, { x: margin + (options.x ?? 0), y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.4;
    }
  };
  const gap = (points = 8) => {
    y -= points;
  };

  write('Quotation and technical proposal', { font: bold, size: 18 });
  gap();
  write(`For: ${quote.customer.name}, ${quote.customer.company}`);
  write(`Quote: ${quote.id}`);
  write(`Date: ${renderedAt.slice(0, 10)}; valid for ${quote.request.validForDays} days`);
  write(`Your sales manager: ${quote.owner}`);
  gap(12);
  write('Quotation', { font: bold, size: 13 });
  for (const line of quote.request.lines) {
    const net = line.unitPriceGbp * line.quantity * (1 - line.discountPercent / 100);
    write(`${line.quantity} x ${line.sku} ${line.description}`, { font: bold });
    write(
      `at ${money(line.unitPriceGbp)}${line.discountPercent ? `, less ${line.discountPercent}%` : ''}: ${money(net)}`,
      { x: 12 },
    );
  }
  gap();
  write(`List price ${money(quote.totals.listGbp)}; discount ${money(quote.totals.discountGbp)}`);
  write(`Total ${money(quote.totals.netGbp)} (excluding VAT)`, { font: bold, size: 12 });
  const terms = quote.prepared.quote;
  if (terms) {
    gap();
    write(`Payment: ${terms.paymentTerms}`);
    write(`Delivery: ${terms.deliveryTerms}`);
    if (terms.notes) write(terms.notes);
  }
  gap(12);
  write('Proposal', { font: bold, size: 13 });
  write(quote.request.proposalSummary);
  if (quote.prepared.proposal) {
    gap(6);
    write('Technical proposal', { font: bold, size: 11 });
    write(quote.prepared.proposal.text);
  }
  return pdf.save({ useObjectStreams: false });
};

/** Greedy word wrap to a width, in the font's own metrics. */
const wrap = (text: string, font: PDFFont, size: number, width: number): string[] => {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
};
