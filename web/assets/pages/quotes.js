// @ts-check

import { listPage } from '../list.js';
import { gbp, linkTo, plain, when } from '../page.js';

/** Quotes (GET /quotes) by status, newest first. */
await listPage({
  path: '/quotes',
  key: 'quotes',
  params: ['status', 'owner', 'createdFrom', 'createdTo', 'order'],
  caption: 'Quotes',
  empty: 'No quote matches these filters.',
  columns: [
    { label: 'Number', cell: (quote, who) => linkTo(who, 'quotes', quote.id, quote.number) },
    { label: 'Customer', cell: (quote) => quote.company },
    { label: 'Where it stands', cell: (quote) => plain(quote.status) },
    { label: 'Net', cell: (quote) => gbp(quote.netGbp) },
    { label: 'Owner', cell: (quote) => quote.owner },
    { label: 'Requested', cell: (quote) => when(quote.createdAt) },
  ],
});
