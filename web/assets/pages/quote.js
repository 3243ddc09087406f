// @ts-check
import { $, documentLink, facts, formAt, gbp, h, linkTo, plain, postForm, recordPage, reloadWith, when } from '../page.js';
import { hasRole } from '../session.js';

/**
 * Where a quote stands (R13-R19): its lines, its steps and who has them, the decisions and the
 * signature; and the viewer's own step, done here rather than only from the emailed link (R28).
 */
const page = await recordPage('quotes');
if (page) {
  const { who, id, record: quote } = page;
  const named = `Quote ${quote.number ? `${quote.number} ` : ''}for ${quote.customer?.company ?? 'a customer'}`;
  document.title = `${named} · salesflow`;
  const vat = quote.totals?.vat;
  /** @param {{ task: string, approver?: string }} t */
  const stepName = (t) => `${plain(t.task)}${t.approver ? ` (${plain(t.approver)})` : ''}`;
  const prepared = quote.prepared ?? {};
  $('#content').replaceChildren(
    h('h1', {}, named),
    h('p', { class: 'lede' }, `Where it stands: ${plain(quote.status)}.`),
    facts([
      ['Quote number', quote.number],
      [
        'Customer',
        quote.customer && `${quote.customer.name} <${quote.customer.email}>${quote.customer.country ? `, ${quote.customer.country}` : ''}`,
      ],
      ['List price', gbp(quote.totals?.listGbp)],
      ['Discount', gbp(quote.totals?.discountGbp)],
      ['Net', gbp(quote.totals?.netGbp)],
      [
        'VAT',
        vat &&
          (vat.ratePercent
            ? `${gbp(quote.totals.vatGbp)} (${vat.ratePercent}%, ${vat.country})`
            : `none: zero-rated export (${vat.country})`),
      ],
      ['Total with VAT', vat && gbp(quote.totals.grossGbp)],
      ['Price approval (QPA)', quote.qpa?.applies ? `needed for ${quote.qpa.reasons?.join('; ')}` : 'not needed'],
      ['Payment terms', prepared.quote?.paymentTerms],
      ['Delivery terms', prepared.quote?.deliveryTerms],
      ['Terms and conditions', prepared.quote?.terms],
      [
        'Document',
        quote.document
          ? `${quote.document.filename} (${quote.signature ? (quote.signature.holds ? `signed by ${quote.signature.signer}, ${when(quote.signature.signedAt)}` : 'changed since it was signed') : 'not signed yet'})`
          : undefined,
      ],
      ['Sent to the customer', quote.transmission && when(quote.transmission.at)],
      [
        'Contract',
        quote.contract &&
          (quote.contract.decision
            ? `${quote.contract.decision.decision} by ${quote.contract.decision.by}`
            : `with the Managing Director: ${quote.contract.requirements}`),
      ],
      ['Failed', quote.failure && (quote.failure.reason ?? quote.failure.error)],
      ['Requested', when(quote.createdAt)],
    ]),
    h(
      'table',
      {},
      h('caption', {}, 'Lines'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Item'),
          h('th', { class: 'number' }, 'Qty'),
          h('th', { class: 'number' }, 'Unit price'),
          h('th', { class: 'number' }, 'Discount'),
        ),
      ),
      h(
        'tbody',
        {},
        ...(quote.request?.lines ?? []).map((/** @type {any} */ l) =>
          h(
            'tr',
            {},
            h('td', {}, `${l.sku}: ${l.description}`),
            h('td', { class: 'number' }, String(l.quantity)),
            h('td', { class: 'number' }, gbp(l.unitPriceGbp)),
            h('td', { class: 'number' }, `${l.discountPercent}%`),
          ),
        ),
      ),
    ),
    h('p', {}, linkTo(who, 'opportunities', quote.opportunityId, 'The opportunity')),
    h('h2', {}, 'Waiting for'),
    (quote.steps ?? quote.tasks).length
      ? h(
          'ul',
          { id: 'waiting-for' },
          ...(quote.steps ?? quote.tasks).map((/** @type {any} */ t) => h('li', {}, `${stepName(t)}: ${t.assignee}, due ${when(t.dueBy)}`)),
        )
      : h('p', {}, 'Nobody.'),
    h('h2', {}, 'Decisions'),
    quote.decisions?.length
      ? h(
          'ul',
          {},
          ...quote.decisions.map((/** @type {any} */ d) =>
            h('li', {}, `${stepName(d)}: ${d.decision} by ${d.by}, ${when(d.at)}${d.reason ? `: ${d.reason}` : ''}`),
          ),
        )
      : h('p', {}, 'None yet.'),
  );

  /**
   * Who may do a step here, as the API judges it: a decision or signature is the named person's,
   * the other steps belong to a role.
   * @type {Record<string, (t: { assignee: string }) => boolean>}
   */
  const mayDo = {
    'prepare-qpa': () => hasRole(who, 'SalesAdmin'),
    'approve-qpa': (t) => t.assignee === who.email,
    'prepare-quote': () => hasRole(who, 'SalesAdmin'),
    'engineering-assistance': () => hasRole(who, 'Engineering'),
    'prepare-proposal': () => hasRole(who, 'ApplicationEngineer'),
    sign: (t) => t.assignee === who.email,
    'approve-contract': () => hasRole(who, 'ManagingDirector'),
  };
  for (const [step, may] of Object.entries(mayDo)) {
    if ((quote.steps ?? quote.tasks).some((/** @type {any} */ t) => t.task === step && may(t))) $(`#step-${step}`).hidden = false;
    postForm(formAt(`#${step}-form`), who, [], `/quotes/${id}/steps/${step}`, () => reloadWith(`Done: ${plain(step)}`));
  }

  // R17: the document itself, to read beside the facts and above the signature.
  const read = quote.document ? await documentLink(`/quotes/${encodeURIComponent(id)}/document`, 'Read the quote') : undefined;
  if (read) {
    $('#content dl.facts').after(h('p', {}, read()));
    $('#sign-form').before(h('p', {}, read()));
  }

  // R19: once the customer has the quote, its SM may ask for a formal contract.
  if (quote.status === 'sent' && !quote.contract && who.email === quote.owner) $('#step-contract').hidden = false;
  const contract = formAt('#contract-form');
  /** @type {HTMLInputElement} */ (contract.elements.namedItem('quoteId')).value = id;
  postForm(contract, who, ['SalesManager'], `/opportunities/${quote.opportunityId}/contract`, () =>
    reloadWith('Sent to the Managing Director'),
  );
}
