// @ts-check
import { enhance } from '../forms.js';
import { formAt, internalPage, queryParam } from '../page.js';
import { api, hasRole } from '../session.js';

/**
 * R20: Sales Admin records a PO. The account is an existing one, or opened here first: its
 * fields are named account.*, sent on their own to POST /accounts, whose refusals are shown
 * against them.
 */
const who = internalPage();
const form = formAt('#order-form');
/** @param {string} name */
const field = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
field('opportunityId').value = queryParam('opportunityId');
field('account.name').value = queryParam('company');
field('account.ownerEmail').value = queryParam('owner');
if (!field('opportunityId').value) field('opportunityId').disabled = true;
if (!hasRole(who, 'SalesAdmin')) form.before(Object.assign(document.createElement('p'), { className: 'error', textContent: 'Only Sales Admin records orders.' }));

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
        const opened = await api('POST', '/accounts', { body: { kind: 'customer', ...(/** @type {object} */ (account ?? {})) }, idempotencyKey: accountKey });
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
