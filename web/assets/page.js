// @ts-check
import { enhance } from './forms.js';
import { api, hasRole, requireSession, signOut } from './session.js';

/**
 * The internal pages' frame: the header with the signed-in person, small builders that only ever
 * set text (never HTML), and the activity form several records share.
 */

/**
 * An element with text or children; attributes are set, never parsed.
 * @param {string} tag @param {Record<string, string>} [attributes] @param {(Node | string | undefined)[]} children
 * @returns {HTMLElement}
 */
export const h = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
};

export const gbp = (/** @type {number | undefined} */ value) =>
  value === undefined ? '—' : value.toLocaleString('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });

export const when = (/** @type {string | undefined} */ iso) =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** @param {string} name */
export const queryParam = (name) => new URLSearchParams(location.search).get(name) ?? '';

/** @param {string} selector @returns {HTMLElement} */
export const $ = (selector) => {
  const found = document.querySelector(selector);
  if (!(found instanceof HTMLElement)) throw new Error(`page has no ${selector}`);
  return found;
};

/** @param {string} selector @returns {HTMLFormElement} */
export const formAt = (selector) => /** @type {HTMLFormElement} */ ($(selector));

/**
 * Signs the page in, draws the header, and returns who is here.
 * @returns {import('./session.js').Session}
 */
export const internalPage = () => {
  const who = requireSession();
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', signOut);
  const nav = h(
    'nav',
    { 'aria-label': 'salesflow' },
    h('a', { href: '/app/' }, 'Pipeline'),
    h('a', { href: '/app/agenda.html' }, 'Agenda'),
    h('a', { href: '/app/new-lead.html' }, 'Log a response'),
    h('span', { class: 'who' }, `${who.email} (${who.roles.join(', ')}) `, out),
  );
  document.body.prepend(h('a', { class: 'skip', href: '#main' }, 'Skip to content'), h('header', { class: 'site' }, nav));
  return who;
};

/** A record's facts as a definition list. @param {[string, string | undefined][]} rows */
export const facts = (rows) =>
  h('dl', { class: 'facts' }, ...rows.filter(([, value]) => value !== undefined && value !== '').flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));

/** A record's timeline, oldest first. @param {{ at: string, summary: string, actor?: string }[]} entries */
export const timeline = (entries) =>
  h(
    'ol',
    { class: 'timeline' },
    ...entries.map((entry) => h("li", {}, h("time", { datetime: entry.at }, when(entry.at)), entry.summary, entry.actor ? ` (${entry.actor})` : undefined)),
  );

/** Says something went wrong loading the page, where the content would be. @param {{ status: number, body: any }} answer */
export const loadFailed = (answer) => {
  $('#content').replaceChildren(h('p', { class: 'error', role: 'alert' }, answer.body?.message ?? `Could not load (${answer.status})`));
};

/**
 * Shows a form only to the roles that may use it, and wires it to a POST.
 * @param {HTMLFormElement} form @param {import('./session.js').Session} who @param {string[]} roles
 * @param {string} path @param {(answer: { status: number, body: any }) => void | Promise<void>} done
 * @param {(body: Record<string, unknown>) => unknown} [shape]
 */
export const postForm = (form, who, roles, path, done, shape = (body) => body) => {
  if (roles.length && !hasRole(who, ...roles)) {
    form.closest('section')?.setAttribute('hidden', '');
    return;
  }
  const idempotencyKey = crypto.randomUUID();
  enhance(form, (body) => api('POST', path, { body: shape(body), idempotencyKey }), done);
};

/**
 * A record's page: signs in, shows the notice a reload carried, and loads `/<collection>/<id>`;
 * undefined (having said why, where the content would be) when it cannot.
 * @param {string} collection
 * @returns {Promise<{ who: import('./session.js').Session, id: string, record: any } | undefined>}
 */
export const recordPage = async (collection) => {
  const who = internalPage();
  showNotice();
  const id = queryParam('id');
  const answer = await api('GET', `/${collection}/${encodeURIComponent(id)}`);
  if (answer.status === 200) return { who, id, record: answer.body };
  loadFailed(answer);
  return undefined;
};

/** The one form for a call, visit, training, email or note, as every record's page offers it. */
const activityMarkup = `
  <h2>Log a call, visit or training</h2>
  <form id="activity-form">
    <div class="row">
      <div class="field"><label for="activity-kind">What</label>
        <select id="activity-kind" name="kind" required>
          <option value="call">Call</option><option value="visit">Visit</option><option value="training">Training</option>
          <option value="email">Email</option><option value="note">Note</option>
        </select></div>
      <div class="field"><label for="activity-at">When <span class="hint">Blank for now</span></label>
        <input id="activity-at" name="at" type="datetime-local" data-type="datetime"></div>
      <div class="field"><label for="activity-with">With <span class="hint">Optional</span></label>
        <input id="activity-with" name="with" type="text" maxlength="200" pattern="[^<>]*" data-pattern="must not contain &lt; or &gt;"></div>
    </div>
    <div class="field"><label for="activity-summary">What was said or done</label>
      <textarea id="activity-summary" name="summary" required maxlength="4000"></textarea></div>
    <div class="field"><label for="activity-outcome">Outcome <span class="hint">Optional</span></label>
      <input id="activity-outcome" name="outcome" type="text" maxlength="4000"></div>
    <p><button type="submit">Log it</button></p>
  </form>`;

/**
 * R27: adds the activity form to the page, posting to `/<collection>/<id>/activities`.
 * @param {import('./session.js').Session} who @param {string} collection @param {string} id
 */
export const activitySection = (who, collection, id) => {
  const section = h('section', {});
  section.innerHTML = activityMarkup; // our own constant markup; nothing a person typed
  $('#main').append(section);
  postForm(formAt('#activity-form'), who, [], `/${collection}/${id}/activities`, () => reloadWith('Activity logged'));
};

/** Reload to show what changed, with a notice that says what was done. @param {string} notice */
export const reloadWith = (notice) => {
  const url = new URL(location.href);
  url.searchParams.set('done', notice);
  location.assign(url);
};

/** The notice a reload carries, shown once. */
export const showNotice = () => {
  const notice = queryParam('done');
  if (notice) $('#main').prepend(h('p', { class: 'notice', role: 'status' }, notice));
};
