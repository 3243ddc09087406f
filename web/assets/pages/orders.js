// @ts-check

import { listPage } from '../list.js';
import { gbp, linkTo, when } from '../page.js';

/** Orders (GET /orders) by status and ship date, newest first; without prices for those who read none. */
await listPage({
  path: '/orders',
  key: 'orders',
  params: ['status', 'shippedFrom', 'shippedTo', 'owner', 'createdFrom', 'createdTo', 'order'],
  caption: 'Orders',
  empty: 'No order matches these filters.',
  columns: [
    { label: 'PO', cell: (order, who) => linkTo(who, 'orders', order.id, order.poNumber) },
    { label: 'Customer', cell: (order) => order.customer },
    { label: 'Status', cell: (order) => (order.status === 'shipped' ? `shipped ${when(order.shippedAt)}` : 'received') },
    { label: 'Total', cell: (order) => ('totalGbp' in order ? gbp(order.totalGbp) : '—') },
    { label: 'Received', cell: (order) => when(order.createdAt) },
  ],
});
