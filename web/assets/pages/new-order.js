// @ts-check
import { bodyOf, enhance } from '../forms.js';
import { $, formAt, gbp, h, internalPage, plain, queryParam } from '../page.js';
import { api, hasRole } from '../session.js';

/**
 * R20: Sales Admin records a PO. The account is an existing one, or opened here first: its
 * fields are named account.*, sent on their own to POST /accounts, whose refusals are shown
 * against them. On an opportunity, the order is built from its signed quote: the quote's lines
 * fill the form, and changing one asks why (the API refuses a changed order without a reason).
 */
const who = internalPage();
const form = formAt('#order-form');
/** @param {string} name */
const field = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
field('opportunityId').value = queryParam('opportunityId');
field('account.name').value = queryParam('company');
field('account.ownerEmail').value = queryParam('owner');
if (!field('opportunityId').value) field('opportunityId').disabled = true;
if (!hasRole(who, 'SalesAdmin'))
  form.before(Object.assign(document.createElement('p'), { className: 'error', textContent: 'Only Sales Admin records orders.' }));

/** @typedef {{ sku: string, description: string, quantity: number, unitPrice: number }} OrderLine */

const linesBox = $('#order-lines');
const quoteChoice = /** @type {HTMLSelectElement} */ ($('#quote-id'));
const reasonField = $('#reason-field');
const reason = /** @type {HTMLTextAreaElement} */ ($('#difference-reason'));
const differencesBox = $('#quote-differences');
let rows = linesBox.querySelectorAll('.row').length;
/** The chosen quote's number and lines at their net prices; undefined without a quote. @type {{ number: string, lines: OrderLine[] } | undefined} */
let quoted;

/**
 * One line's row; every row but the first can be removed.
 * @param {Partial<OrderLine>} [line]
 */
const lineRow = (line = {}) => {
  const i = rows++;
  /** @param {string} field @param {string} id @param {string} label @param {Record<string, string>} attributes @param {unknown} value */
  const cell = (field, id, label, attributes, value) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `o${i}-${id}` }, label),
      h('input', {
        id: `o${i}-${id}`,
        name: `lines.${i}.${field}`,
        required: '',
        ...attributes,
        ...(value === undefined ? {} : { value: String(value) }),
      }),
    );
  const row = h(
    'div',
    { class: 'row' },
    cell(
      'sku',
      'sku',
      'SKU',
      { type: 'text', maxlength: '64', pattern: '[A-Za-z0-9._:\\-]+', 'data-pattern': 'must be letters, digits, . _ : or -' },
      line.sku,
    ),
    cell('description', 'description', 'Description', { type: 'text', maxlength: '500' }, line.description),
    cell('quantity', 'quantity', 'Qty', { type: 'number', min: '1', max: '100000', step: '1', 'data-type': 'number' }, line.quantity),
    cell('unitPrice', 'unit', 'Unit price (£)', { type: 'number', min: '0', step: '0.01', 'data-type': 'number' }, line.unitPrice),
  );
  if (linesBox.children.length) {
    const remove = h(
      'button',
      { type: 'button', class: 'link', 'aria-label': `Remove line ${i + 1}${line.sku ? ` (${line.sku})` : ''}` },
      'Remove',
    );
    remove.addEventListener('click', () => {
      row.remove();
      compare();
    });
    row.append(h('div', { class: 'field' }, remove));
  }
  linesBox.append(row);
  return row;
};

/** The quote's price for one, after the line's discount, to the penny (as the API reckons it). @param {any} line */
const netUnitPrice = (line) => Math.round((Math.round(line.unitPriceGbp * 100) * (100 - line.discountPercent)) / 100) / 100;

/**
 * Whether the lines in the form depart from the quote's: a SKU added or left out, a quantity or a
 * price changed. Lines pair by SKU, as the API pairs them; a reworded description is no change.
 * @param {OrderLine[]} quotedLines @param {OrderLine[]} ordered
 */
const departs = (quotedLines, ordered) => {
  const unmatched = [...ordered];
  for (const line of quotedLines) {
    const at = unmatched.findIndex((candidate) => candidate.sku === line.sku);
    if (at < 0) return true;
    const [match] = unmatched.splice(at, 1);
    if (match?.quantity !== line.quantity || Math.round((match?.unitPrice ?? 0) * 100) !== Math.round(line.unitPrice * 100)) return true;
  }
  return unmatched.length > 0;
};

/** Shows the reason field, required, as soon as the lines depart from the quote; hides it when they match again. */
const compare = () => {
  const ordered = /** @type {OrderLine[]} */ (bodyOf(form).lines ?? []);
  const differs = Boolean(quoted && departs(quoted.lines, ordered));
  reasonField.hidden = !differs;
  reason.disabled = !differs;
  differencesBox.hidden = !differs;
  differencesBox.replaceChildren(
    ...(differs && quoted
      ? [
          h(
            'p',
            { class: 'notice' },
            `These lines differ from quote ${quoted.number}, which the customer signed. Say why below, or put them back as quoted.`,
          ),
        ]
      : []),
  );
};

/** Fills the lines from the chosen quote, or leaves one blank line without one. */
const useQuote = async () => {
  linesBox.replaceChildren();
  rows = 0;
  quoted = undefined;
  if (quoteChoice.value) {
    const answer = await api('GET', `/quotes/${encodeURIComponent(quoteChoice.value)}`);
    if (answer.status === 200) {
      quoted = {
        number: answer.body.number,
        lines: answer.body.request.lines.map((/** @type {any} */ line) => ({
          sku: line.sku,
          description: line.description,
          quantity: line.quantity,
          unitPrice: netUnitPrice(line),
        })),
      };
      for (const line of quoted.lines) lineRow(line);
    } else {
      differencesBox.hidden = false;
      differencesBox.replaceChildren(
        h('p', { class: 'error', role: 'alert' }, answer.body?.message ?? `Could not load the quote (${answer.status})`),
      );
    }
  }
  if (!rows) lineRow();
  compare();
};

/** The opportunity's quotes that the SM signed and the customer received, newest first. */
const signedQuotes = async () => {
  if (!field('opportunityId').value) return;
  const answer = await api('GET', `/opportunities/${encodeURIComponent(field('opportunityId').value)}`);
  if (answer.status !== 200) return;
  const signed = (answer.body.quotes ?? [])
    .filter((/** @type {any} */ quote) => ['sent', 'contract-negotiation', 'contract-approved'].includes(quote.status))
    .reverse();
  if (!signed.length) return;
  for (const quote of signed)
    quoteChoice.append(h('option', { value: quote.id }, `${quote.number}: ${gbp(quote.netGbp)} net, ${plain(quote.status)}`));
  $('#quote-choice').hidden = false;
  quoteChoice.disabled = false;
  // A PO answers the latest quote as a rule; any other, or none, is one choice away.
  quoteChoice.value = signed[0].id;
  await useQuote();
};

quoteChoice.addEventListener('change', useQuote);
form.addEventListener('input', compare);
$('#add-order-line').addEventListener('click', () => {
  /** @type {HTMLInputElement | null} */ (lineRow().querySelector('input'))?.focus();
  compare();
});
await signedQuotes();

const orderKey = crypto.randomUUID();
const accountKey = crypto.randomUUID();
/** @type {string | undefined} */
let openedAccount;
enhance(
  form,
  async (body) => {
    const { account, ...order } = body;
    if (!order.accountId) {
      if (!openedAccount) {
        const opened = await api('POST', '/accounts', {
          body: { kind: 'customer', .../** @type {object} */ (account ?? {}) },
          idempotencyKey: accountKey,
        });
        if (opened.status !== 201) {
          const errors = (opened.body?.errors ?? []).map((/** @type {any} */ e) => ({ ...e, path: `account.${e.path}` }));
          return { status: opened.status, body: { ...opened.body, errors } };
        }
        openedAccount = opened.body.id;
      }
      order.accountId = openedAccount;
    }
    return api('POST', '/orders', { body: order, idempotencyKey: orderKey });
  },
  ({ body }) => location.assign(`/app/order.html?id=${body.id}&done=${encodeURIComponent('Order recorded')}`),
);
