// @ts-check
import { enhance } from '../forms.js';
import { config } from '../session.js';

/**
 * R3: the public lead form, better with JavaScript: the same checks as the server before sending,
 * JSON with an Idempotency-Key (a double click or a retry records one lead), and each refusal by
 * its field. Without JavaScript the form posts urlencoded and the API answers with pages.
 */
const form = /** @type {HTMLFormElement} */ (document.getElementById('lead-form'));
const campaign = new URLSearchParams(location.search).get('campaign');
if (campaign) /** @type {HTMLInputElement} */ (form.elements.namedItem('campaignId')).value = campaign;

const idempotencyKey = crypto.randomUUID();
enhance(
  form,
  async (body) => {
    const response = await fetch(`${config.apiUrl}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => ({})) };
  },
  () => location.assign('/thanks.html'),
);
