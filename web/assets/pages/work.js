// @ts-check
import { $, h, internalPage, loadFailed, spoken, when } from '../page.js';
import { api } from '../session.js';

/**
 * Production's work list (R23-R25): the orders to pack and those packed and waiting to ship, from
 * the caller's agenda, oldest first.
 */
internalPage();
const answer = await api('GET', '/agenda');
if (answer.status !== 200) loadFailed(answer);
else {
  /** @param {string} kind @param {string} heading @param {string} none */
  const list = (kind, heading, none) => {
    const items = answer.body.items.filter((/** @type {any} */ item) => item.kind === kind && item.subject.kind === 'order');
    const id = `work-${kind}`;
    return h(
      'section',
      { 'aria-labelledby': id },
      h('h2', { id }, `${heading} (${items.length})`),
      items.length
        ? h(
            'ul',
            {},
            ...items.map((/** @type {any} */ item) =>
              h(
                'li',
                {},
                h('a', { href: `/app/order.html?id=${item.subject.id}` }, spoken(item.summary)),
                `, by ${when(item.dueAt)}`,
                item.overdueByDays ? h('span', { class: 'overdue' }, ` ${item.overdueByDays} days overdue`) : undefined,
              ),
            ),
          )
        : h('p', {}, none),
    );
  };
  $('#content').replaceChildren(list('packing', 'To pack', 'Nothing to pack.'), list('shipment', 'To ship', 'Nothing waiting to ship.'));
}
