// @ts-check

import { opportunityDecisions } from '../decisions.js';
import { $, activitySection, facts, formAt, gbp, h, linkTo, plain, postForm, recordPage, reloadWith, timeline, when } from '../page.js';
import { api, hasRole } from '../session.js';

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
      ['Expected to close', opp.expectedCloseOn],
      ['Probability', opp.probability === undefined ? undefined : `${opp.probability}%`],
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
      ? h(
          'ul',
          {},
          ...opp.quotes.map((/** @type {any} */ q) =>
            h(
              'li',
              {},
              linkTo(who, 'quotes', q.id, `${q.number ? `${q.number}: ` : ''}${gbp(q.netGbp)} net, ${plain(q.status)}`),
              ` (${when(q.createdAt)})`,
            ),
          ),
        )
      : h('p', {}, 'None yet.'),
    h('h2', {}, 'Orders'),
    opp.orders.length
      ? h(
          'ul',
          {},
          ...opp.orders.map((/** @type {any} */ o) =>
            h('li', {}, linkTo(who, 'orders', o.id, `PO ${o.poNumber}: ${gbp(o.totalGbp)}`), ` (${plain(o.status)})`),
          ),
        )
      : h('p', {}, 'None yet.'),
    h('h2', {}, 'Timeline'),
    timeline(opp.timeline),
  );

  opportunityDecisions(who, opp);
  if (review.status === 'required' && hasRole(who, 'Engineering')) {
    $('#review').hidden = false;
    const select = /** @type {HTMLSelectElement} */ ($('#r-recommendation'));
    for (const value of ['proceed', 'proceed-with-changes', 'decline']) select.append(h('option', { value }, plain(value)));
  }
  postForm(formAt('#review-form'), who, ['Engineering'], `/opportunities/${id}/engineering-review`, () =>
    reloadWith('Review given; the SM has it'),
  );

  // A won or lost opportunity takes no more quotes.
  if (hasRole(who, 'SalesManager') && opp.status === 'prospect') {
    $('#quote').hidden = false;
    await quoteLines();
  }
  postForm(formAt('#quote-form'), who, ['SalesManager'], `/opportunities/${id}/quotes`, ({ body }) =>
    location.assign(`/app/quote.html?id=${body.quoteId}&done=${encodeURIComponent('Quote started; its approval workflow is running')}`),
  );

  if (hasRole(who, 'SalesAdmin')) {
    const link = $('#record-order');
    link.hidden = false;
    link
      .querySelector('a')
      ?.setAttribute(
        'href',
        `/app/new-order.html?opportunityId=${id}&company=${encodeURIComponent(opp.company)}&owner=${encodeURIComponent(opp.owner)}`,
      );
  }
  activitySection(who, 'opportunities', id);
}

/**
 * The quote's lines: five rows to start with, another on "Add a line", each SKU picked from the
 * price list (its description and price fill in, quantity 1 unless set).
 */
async function quoteLines() {
  const list = $('#product-list');
  const addButton = $('#add-line');
  const answer = await api('GET', '/products');
  /** @type {Map<string, { sku: string, description: string, unitPriceGbp: number }>} */
  const products = new Map();
  for (const product of answer.status === 200 ? answer.body.products : []) {
    products.set(product.sku.toUpperCase(), product);
    list.append(h('option', { value: product.sku }, `${product.description}, ${gbp(product.unitPriceGbp)}`));
  }
  let count = 0;
  const addLine = () => {
    const i = count++;
    /** @param {string} field @param {string} label @param {Record<string, string>} attributes */
    const cell = (field, label, attributes) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: `l${i}-${field}` }, label),
        h('input', {
          id: `l${i}-${field}`,
          name: `lines.${i}.${field}`,
          ...(i === 0 && field !== 'discountPercent' ? { required: '' } : {}),
          ...attributes,
        }),
      );
    const row = h(
      'div',
      { class: 'row', 'data-line': String(i) },
      cell('sku', 'SKU', {
        type: 'text',
        maxlength: '64',
        list: 'product-list',
        autocomplete: 'off',
        pattern: '[A-Za-z0-9._:\\-]+',
        'data-pattern': 'must be letters, digits, . _ : or -',
      }),
      cell('description', 'Description', { type: 'text', maxlength: '500' }),
      cell('quantity', 'Qty', { type: 'number', min: '1', max: '100000', step: '1', 'data-type': 'number' }),
      cell('unitPriceGbp', 'Unit price (£)', { type: 'number', min: '0', step: '0.01', 'data-type': 'number' }),
      cell('discountPercent', 'Discount %', { type: 'number', min: '0', max: '100', step: 'any', 'data-type': 'number' }),
    );
    /** @param {string} field */
    const input = (field) => /** @type {HTMLInputElement} */ (row.querySelector(`[name="lines.${i}.${field}"]`));
    input('sku').addEventListener('input', () => {
      const product = products.get(input('sku').value.trim().toUpperCase());
      if (!product) return;
      input('sku').value = product.sku;
      input('description').value = product.description;
      input('unitPriceGbp').value = String(product.unitPriceGbp);
      if (!input('quantity').value) input('quantity').value = '1';
    });
    addButton.closest('p')?.before(row);
    return row;
  };
  for (let i = 0; i < 5; i += 1) addLine();
  addButton.addEventListener('click', () => /** @type {HTMLInputElement} */ (addLine().querySelector('input'))?.focus());
}
