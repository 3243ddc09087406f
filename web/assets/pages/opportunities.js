// @ts-check

import { listPage } from '../list.js';
import { gbp, linkTo, plain, when } from '../page.js';

/** Opportunities (GET /opportunities) by stage, value and owner, newest first. */
const stages = { prospect: 'Prospect', quoting: 'Quote in approval', quoted: 'Quote with the customer', ordered: 'Ordered' };
await listPage({
  path: '/opportunities',
  key: 'opportunities',
  params: ['stage', 'minValue', 'maxValue', 'owner', 'createdFrom', 'createdTo', 'order'],
  caption: 'Opportunities',
  empty: 'No opportunity matches these filters.',
  columns: [
    { label: 'Company', cell: (opportunity, who) => linkTo(who, 'opportunities', opportunity.id, opportunity.company) },
    { label: 'Stage', cell: (opportunity) => stages[/** @type {keyof typeof stages} */ (opportunity.stage)] ?? plain(opportunity.stage) },
    { label: 'Where it stands', cell: (opportunity) => plain(opportunity.status) },
    { label: 'Value', cell: (opportunity) => gbp(opportunity.valueGbp) },
    { label: 'Owner', cell: (opportunity) => opportunity.owner },
    { label: 'Qualified', cell: (opportunity) => when(opportunity.createdAt) },
  ],
});
