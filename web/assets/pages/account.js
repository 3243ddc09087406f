// @ts-check

import { accountDecisions } from '../decisions.js';
import { $, activitySection, facts, h, linkTo, plain, recordPage, spoken, timeline, when } from '../page.js';

/**
 * An account (R6-R8): its contacts, its orders, its calls and visits, when due; logging one sets
 * the next. GET /accounts/{id} names no orders or opportunities: the orders are read from the
 * account's timeline, where each order received is filed; opportunities are not on it.
 */
const page = await recordPage('accounts');
if (page) {
  const { who, id, record: account } = page;
  const orders = account.timeline.filter((/** @type {any} */ e) => e.kind === 'order-received' && e.detail?.orderId);
  $('#content').replaceChildren(
    h('h1', {}, account.name),
    facts([
      ['Kind', `${account.kind === 'distributor' ? 'Distributor' : 'Customer'}${account.size ? ` (${account.size})` : ''}`],
      ['Sales manager', account.ownerEmail],
      ['Served by', plain(account.servedBy)],
      ['Orders through', plain(account.orderChannel)],
    ]),
    h('h2', {}, 'Contacts'),
    account.contacts?.length
      ? h(
          'ul',
          { id: 'contacts' },
          ...account.contacts.map((/** @type {any} */ c) =>
            h('li', {}, `${c.name} `, h('a', { href: `mailto:${c.email}` }, c.email), c.phone ? `, ${c.phone}` : undefined),
          ),
        )
      : h('p', {}, 'None recorded.'),
    h('h2', {}, 'Orders'),
    orders.length
      ? h(
          'ul',
          { id: 'orders' },
          ...orders.map((/** @type {any} */ e) =>
            h('li', {}, linkTo(who, 'orders', e.detail.orderId, spoken(e.summary)), ` (${when(e.at)})`),
          ),
        )
      : h('p', {}, 'None yet.'),
    h('h2', {}, 'Calls and visits due'),
    account.due.length
      ? h(
          'ul',
          {},
          ...account.due.map((/** @type {any} */ d) =>
            h(
              'li',
              {},
              `${plain(d.kind)} by ${d.assignee}: ${when(d.dueAt)}`,
              d.overdueByDays ? h('span', { class: 'overdue' }, ` ${d.overdueByDays} days overdue`) : undefined,
            ),
          ),
        )
      : h('p', {}, 'None scheduled.'),
    h('h2', {}, 'Timeline'),
    timeline(account.timeline),
  );
  accountDecisions(who, account);
  activitySection(who, 'accounts', id);
}
