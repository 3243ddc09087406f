// @ts-check
import { $, activitySection, facts, formAt, gbp, h, linkTo, plain, postForm, recordPage, reloadWith, timeline, when } from '../page.js';
import { hasRole } from '../session.js';

/**
 * An opportunity: its qualification, Engineering's review (R10), its quotes and orders. The SM
 * requests quotes here (R13); Engineering gives its review; anyone logs contact (R11, R12, R18).
 */
const page = await recordPage('opportunities');
if (page) {
  const { who, id, record: opp } = page;
  document.title = `${opp.company} · salesflow`;
  const review = opp.engineeringReview;
  $('#content').replaceChildren(
    h('h1', {}, `${opp.company}: ${opp.status}`),
    facts([
      ['Estimated value', gbp(opp.qualification.estimatedValueGbp)],
      ['Owner', opp.owner],
      ['Application', opp.qualification.application],
      ['Timing', opp.qualification.timing],
      ['Non-standard', opp.qualification.nonStandardRequirements ?? 'none'],
      ['Engineering review', plain(review.status) + (review.reasons.length ? ` (${review.reasons.join('; ')})` : '')],
      ['Engineering advice', review.advice && `${plain(review.advice.recommendation)}: ${review.advice.advice}`],
      ['Qualified', when(opp.createdAt)],
    ]),
    h('p', {}, linkTo(who, 'leads', opp.leadId, 'The lead it came from')),
    h('h2', {}, 'Quotes'),
    opp.quotes.length
      ? h('ul', {}, ...opp.quotes.map((/** @type {any} */ q) => h('li', {}, linkTo(who, 'quotes', q.id, `${gbp(q.netGbp)} net: ${plain(q.status)}`), ` (${when(q.createdAt)})`)))
      : h('p', {}, 'None yet.'),
    h('h2', {}, 'Orders'),
    opp.orders.length
      ? h('ul', {}, ...opp.orders.map((/** @type {any} */ o) => h('li', {}, linkTo(who, 'orders', o.id, `PO ${o.poNumber}: ${gbp(o.totalGbp)}`), ` (${plain(o.status)})`)))
      : h('p', {}, 'None yet.'),
    h('h2', {}, 'Timeline'),
    timeline(opp.timeline),
  );

  if (review.status === 'required' && hasRole(who, 'Engineering')) {
    $('#review').hidden = false;
    const select = /** @type {HTMLSelectElement} */ ($('#r-recommendation'));
    for (const value of ['proceed', 'proceed-with-changes', 'decline']) select.append(h('option', { value }, plain(value)));
  }
  postForm(formAt('#review-form'), who, ['Engineering'], `/opportunities/${id}/engineering-review`, () => reloadWith('Review given; the SM has it'));

  if (hasRole(who, 'SalesManager')) $('#quote').hidden = false;
  postForm(formAt('#quote-form'), who, ['SalesManager'], `/opportunities/${id}/quotes`, ({ body }) =>
    location.assign(`/app/quote.html?id=${body.quoteId}&done=${encodeURIComponent('Quote started; its approval workflow is running')}`),
  );

  if (hasRole(who, 'SalesAdmin')) {
    const link = $('#record-order');
    link.hidden = false;
    link.querySelector('a')?.setAttribute('href', `/app/new-order.html?opportunityId=${id}&company=${encodeURIComponent(opp.company)}&owner=${encodeURIComponent(opp.owner)}`);
  }
  activitySection(who, 'opportunities', id);
}
