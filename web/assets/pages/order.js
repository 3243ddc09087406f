// @ts-check
import {
  $,
  activitySection,
  documentLink,
  facts,
  formAt,
  gbp,
  h,
  linkTo,
  plain,
  postForm,
  recordPage,
  reloadWith,
  timeline,
  when,
} from '../page.js';
import { hasRole } from '../session.js';

/**
 * An order (R20-R26): its lines, support registration, letters and follow-ups, and each person's
 * step on it: Sales Admin's contract review (R22), Production's packing (R23/R24) and shipment,
 * the SM's equipment check and the corrective action it may open (R26).
 */
const page = await recordPage('orders');
if (page) {
  const { who, id, record: order } = page;
  document.title = `PO ${order.poNumber} · salesflow`;
  // GET /orders/{id} sends one state per follow-up, by name; the dates are on followUps.
  const followUpDates = {
    deliveryCheck: order.followUps?.deliveryCheck?.dueAt,
    smReminder: order.followUps?.smReminder?.dueAt,
    equipmentCheck: order.followUps?.equipmentCheck?.dueBy,
  };
  /** @type {[string, string][]} */
  const followUps = Object.entries(order.followUpStates ?? {});
  const priced = order.totalGbp !== undefined;
  $('#content').replaceChildren(
    h('h1', {}, `PO ${order.poNumber}: ${plain(order.status)}`),
    facts([
      ['Customer', order.customer?.name],
      // Production and Engineering get the order without prices.
      ['Total', order.totalGbp === undefined ? undefined : gbp(order.totalGbp)],
      ['User of the equipment', order.userContact && `${order.userContact.name} <${order.userContact.email}>`],
      ['Support registration', order.support?.registrationId],
      [
        'Contract review',
        order.contractReview &&
          (order.contractReview.status === 'done' ? `done by ${order.contractReview.by}, ${when(order.contractReview.at)}` : 'to do'),
      ],
      [
        'Packing',
        order.packing && (order.packing.status === 'packed' ? `packed by ${order.packing.by}, ${when(order.packing.at)}` : 'to pack'),
      ],
      ['Welcome Letter', order.welcomeLetter && plain(order.welcomeLetter.status)],
      [
        'Shipped',
        order.shipment ? `${when(order.shipment.shippedAt)}${order.shipment.carrier ? ` by ${order.shipment.carrier}` : ''}` : undefined,
      ],
      ['Corrective action', order.correctiveAction && `${order.correctiveAction.status}: ${order.correctiveAction.problem}`],
      ['Received', when(order.createdAt)],
    ]),
    h(
      'table',
      {},
      h('caption', {}, 'Lines'),
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'Item'), h('th', { class: 'number' }, 'Qty'), priced ? h('th', { class: 'number' }, 'Unit price') : ''),
      ),
      h(
        'tbody',
        {},
        ...order.lines.map((/** @type {any} */ l) =>
          h(
            'tr',
            {},
            h('td', {}, `${l.sku}: ${l.description}`),
            h('td', { class: 'number' }, String(l.quantity)),
            priced ? h('td', { class: 'number' }, gbp(l.unitPrice)) : '',
          ),
        ),
      ),
    ),
    fromQuote(order.fromQuote),
    h('p', {}, linkTo(who, 'accounts', order.accountId, `The account: ${order.customer?.name ?? ''}`)),
    order.opportunityId ? h('p', {}, linkTo(who, 'opportunities', order.opportunityId, 'The opportunity')) : '',
    h('h2', {}, 'Follow-ups'),
    followUps.length
      ? h(
          'ul',
          { id: 'follow-ups' },
          ...followUps.map(([name, state]) =>
            h(
              'li',
              {},
              `${plain(name)}: ${plain(state)}`,
              followUpDates[/** @type {keyof typeof followUpDates} */ (name)] && state !== 'not-applicable'
                ? ` (by ${when(followUpDates[/** @type {keyof typeof followUpDates} */ (name)])})`
                : undefined,
            ),
          ),
        )
      : h('p', {}, 'Scheduled once the order ships.'),
    h('h2', {}, 'Timeline'),
    timeline(order.timeline),
  );

  /**
   * The signed quote the order was built from (R20), and where the order departs from it and why.
   * @param {{ quoteId: string, number: string, differences: string[], reason?: string, quoted?: { netGbp: number, vatGbp: number, grossGbp: number, vatWording: string } } | undefined} from
   */
  function fromQuote(from) {
    if (!from) return '';
    return h(
      'section',
      { id: 'from-quote', 'aria-labelledby': 'from-quote-heading' },
      h('h2', { id: 'from-quote-heading' }, 'From quote ', linkTo(who, 'quotes', from.quoteId, from.number)),
      from.quoted
        ? h('p', {}, `Signed for ${gbp(from.quoted.netGbp)} net, ${gbp(from.quoted.grossGbp)} with ${from.quoted.vatWording}.`)
        : '',
      from.differences.length
        ? h(
            'div',
            {},
            h(
              'p',
              {},
              `The order differs from the quote in ${from.differences.length === 1 ? 'one way' : `${from.differences.length} ways`}:`,
            ),
            h('ul', { id: 'quote-differences' }, ...from.differences.map((difference) => h('li', {}, difference))),
            h('p', { id: 'difference-reason' }, `Why: ${from.reason ?? ''}`),
          )
        : h('p', {}, 'The order matches the quote line for line.'),
    );
  }

  /** Shows a step's section when it waits and this viewer may do it (the API decides the same). @param {string} name @param {boolean} open @param {boolean} mine @param {string} notice */
  const step = (name, open, mine, notice) => {
    if (open && mine) $(`#${name}`).hidden = false;
    postForm(formAt(`#${name}-form`), who, [], `/orders/${id}/steps/${name}`, () => reloadWith(notice));
  };
  step('contract-review', order.contractReview?.status === 'open', hasRole(who, 'SalesAdmin'), 'Contract review recorded');
  step('packing', order.packing?.status === 'to-pack', hasRole(who, 'Production', 'SalesAdmin'), 'Packed; ready to ship');
  for (const item of order.packing?.checklist ?? []) $('#packing-checklist').append(h('li', {}, item));
  const checkAsked =
    (order.steps ?? order.tasks).some((/** @type {any} */ t) => t.task === 'equipment-check') ||
    order.followUps?.equipmentCheck?.status === 'unanswered';
  step('equipment-check', checkAsked, who.email === order.owner, 'Answer recorded');
  step(
    'corrective-action',
    order.correctiveAction?.status === 'open',
    who.email === order.owner || hasRole(who, 'SalesAdmin', 'Engineering'),
    'Corrective action closed',
  );

  if (!order.shipment && hasRole(who, 'Production', 'SalesAdmin')) $('#shipment').hidden = false;
  postForm(formAt('#shipment-form'), who, ['Production', 'SalesAdmin'], `/orders/${id}/shipment`, () =>
    reloadWith('Shipment recorded; the follow-ups are scheduled'),
  );
  activitySection(who, 'orders', id);

  // R23: the Welcome Letter to print, beside the facts and in the packing step.
  const letter = order.welcomeLetter
    ? await documentLink(`/orders/${encodeURIComponent(id)}/welcome-letter`, 'Print the Welcome Letter')
    : undefined;
  if (letter) {
    $('#content dl.facts').after(h('p', {}, letter()));
    $('#packing-checklist').after(h('p', {}, letter()));
  }
}
