// @ts-check

import { listPage } from '../list.js';
import { linkTo, plain, when } from '../page.js';

/** Customers and distributors (GET /accounts), newest first. */
await listPage({
  path: '/accounts',
  key: 'accounts',
  params: ['kind', 'owner', 'createdFrom', 'createdTo', 'order'],
  caption: 'Accounts',
  empty: 'No account matches these filters.',
  columns: [
    { label: 'Name', cell: (account, who) => linkTo(who, 'accounts', account.id, account.name) },
    {
      label: 'Kind',
      cell: (account) => (account.kind === 'distributor' ? `${account.size ? `${account.size} ` : ''}distributor` : 'customer'),
    },
    { label: 'Owner', cell: (account) => account.ownerEmail },
    { label: 'Served', cell: (account) => plain(account.servedBy) },
    { label: 'Opened', cell: (account) => when(account.createdAt) },
  ],
});
