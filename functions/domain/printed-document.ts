/**
 * A printed document (a quote, a Welcome Letter) as the process writes it: its metadata and its
 * text, line by line, through a Writer. Turning it into PDF bytes is the PDF adapter's
 * (functions/adapters/printed-page.ts), so the domain never loads a PDF library.
 */
export interface Writer {
  write(text: string, options?: { bold?: boolean; size?: number; indent?: number }): void;
  gap(points?: number): void;
}

export interface PrintedDocument {
  /** `at` is also the PDF's dates, so the same document gives the same bytes and the same SHA-256. */
  meta: { title: string; author: string; subject: string; at: string };
  compose: (writer: Writer) => void;
}

export const printedDocument = (meta: PrintedDocument['meta'], compose: PrintedDocument['compose']): PrintedDocument => ({ meta, compose });
