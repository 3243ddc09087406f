import { quoteListQuery } from '#contract/lists';
import type { Quote } from '#domain/quote';
import { listRoute } from '#http/lists';

/** Quotes by status, newest first; an SM's own and their reports' unless they name one. */
export const listQuotes = listRoute('quote', {
  route: 'GET /quotes',
  query: quoteListQuery,
  owner: 'owner',
  filter: (query) => [{ path: 'status', op: '=', value: query.status }],
  row: (quote: Quote) => ({
    id: quote.id,
    number: quote.number,
    status: quote.status,
    company: quote.customer.company,
    opportunityId: quote.opportunityId,
    owner: quote.owner,
    netGbp: quote.totals.netGbp,
    grossGbp: quote.totals.grossGbp,
    createdAt: quote.createdAt,
    updatedAt: quote.updatedAt,
  }),
});
