import { fromItem } from '#adapters/sales-records';
import { quoteListQuery } from '#contract/lists';
import type { Quote } from '#domain/quote';
import { apiRoute, json } from '#http/api';
import { attributeFilter, listPage } from '#http/lists';
import { readRule } from '#http/read-rule';

/** Quotes by status, newest first; an SM's own and their reports' unless they name one. */
export const listQuotes = apiRoute({ route: 'GET /quotes', query: quoteListQuery }, async ({ query, caller, actOn, actsOnAny }) => {
  if (query.owner) await actOn(query.owner, `The quotes of ${query.owner}`);
  const mayRead = readRule(caller!);
  const page = await listPage('quote', query, {
    filter: attributeFilter([
      { path: 'status', op: '=', value: query.status },
      { path: 'owner', op: '=', value: query.owner },
    ]),
    keep: actsOnAny || query.owner ? undefined : (item) => mayRead('GET /quotes/{id}', String(item.owner)),
  });
  return json(200, {
    quotes: page.items.map((item) => {
      const quote = fromItem<Quote>(item);
      return {
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
      };
    }),
    nextCursor: page.nextCursor,
  });
});
