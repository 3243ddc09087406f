import type { Letterhead } from '#domain/letterhead';
import type { Order } from '#domain/order';
import type { Quote } from '#domain/quote';
import { quoteDocument } from '#domain/quote-document';
import { welcomeLetter } from '#domain/welcome-letter';
import { printed } from './printed-page';

/** The process's documents as PDF bytes: what the domain writes, printed by the PDF adapter. */
export const renderQuoteDocument = (quote: Quote, renderedAt: string, from?: Letterhead): Promise<Uint8Array> =>
  printed(quoteDocument(quote, renderedAt, from));

export const renderWelcomeLetter = (
  order: Order,
  contacts: { support: string; website: string },
  renderedAt: string,
): Promise<Uint8Array> => printed(welcomeLetter(order, contacts, renderedAt));
