import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from '@pdfme/pdf-lib';
import type { PrintedDocument } from '#domain/printed-document';

/**
 * The process's printed documents (a quote, a welcome letter) as A4 PDFs of plain text. Rendering
 * is deterministic: the metadata dates are the given time, so the same input gives the same bytes
 * and the same SHA-256, which is what a signature can be checked against.
 */

/** The standard PDF fonts speak WinAnsi; anything else becomes '?' rather than breaking the render. */
const printable = (text: string) => text.replace(/[^\x20-\x7E\xA0-\xFF£€]/g, '?');

/** The document's PDF bytes. */
export const printed = async ({ meta, compose }: PrintedDocument): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  const at = new Date(meta.at);
  pdf.setTitle(printable(meta.title));
  pdf.setAuthor(printable(meta.author));
  pdf.setSubject(printable(meta.subject));
  pdf.setProducer('salesflow');
  pdf.setCreator('salesflow');
  pdf.setCreationDate(at);
  pdf.setModificationDate(at);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 800;
  const margin = 50;
  compose({
    write: (text, options = {}) => {
      const size = options.size ?? 10;
      const font = options.bold ? bold : regular;
      const indent = options.indent ?? 0;
      for (const line of wrap(printable(text), font, size, 495 - indent)) {
        if (y < 60) {
          page = pdf.addPage([595, 842]);
          y = 800;
        }
        page.drawText(line, { x: margin + indent, y, size, font, color: rgb(0.1, 0.1, 0.1) });
        y -= size * 1.4;
      }
    },
    gap: (points = 8) => {
      y -= points;
    },
  });
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
