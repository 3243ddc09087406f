// @ts-check
import { $, activitySection, facts, formAt, gbp, h, postForm, recordPage, reloadWith, timeline, when } from '../page.js';
import { hasRole } from '../session.js';

/** An order (R20-R26): support registration, letters, follow-ups; Production or Sales Admin records the shipment. */
const page = await recordPage('orders');
if (page) {
  const { who, id, record: order } = page;
  $('#content').replaceChildren(
    h('h1', {}, `PO ${order.poNumber}: ${order.status}`),
    facts([
      ['Customer', order.customer?.name],
      ['Total', gbp(order.totalGbp)],
      ['Support registration', order.support?.registrationId],
      ['Shipped', order.shipment ? when(order.shipment.shippedAt) : undefined],
      ['Received', when(order.createdAt)],
    ]),
    order.opportunityId ? h('p', {}, h('a', { href: `/app/opportunity.html?id=${order.opportunityId}` }, 'The opportunity')) : '',
    h('p', {}, h('a', { href: `/app/account.html?id=${order.accountId}` }, 'The account')),
    h('h2', {}, 'Follow-ups'),
    order.followUpStates?.length
      ? h('ul', {}, ...order.followUpStates.map((/** @type {any} */ f) => h('li', {}, `${f.kind}: ${f.state}, ${when(f.dueAt)}`)))
      : h('p', {}, 'Scheduled once the order ships.'),
    h('h2', {}, 'Timeline'),
    timeline(order.timeline),
  );
  if (!order.shipment && hasRole(who, 'Production', 'SalesAdmin')) $('#shipment').hidden = false;
  postForm(formAt('#shipment-form'), who, ['Production', 'SalesAdmin'], `/orders/${id}/shipment`, () => reloadWith('Shipment recorded; the post-shipment sequence is running'));
  activitySection(who, 'orders', id);
}
