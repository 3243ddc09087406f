// @ts-check

import { findBox } from './find.js';
import { enhance } from './forms.js';
import { api, config, hasRole, requireSession, session, signOut } from './session.js';

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

/** Pounds to the penny, as the emails and PDFs print them (functions/domain/money.ts): £18,050.30. */
const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
export const gbp = (/** @type {number | undefined} */ value) => (value === undefined ? '—' : pounds.format(value));

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
 * Who may read each kind of record: the roles of its GET route in functions/routes.ts, which
 * test/web/pages.test.ts keeps these equal to. A page links only where its viewer may go.
 */
const readers = {
  leads: ['SalesManager', 'ManagingDirector', 'SalesAdmin'],
  opportunities: ['SalesManager', 'ManagingDirector', 'SalesAdmin', 'Engineering', 'ApplicationEngineer'],
  pipeline: ['SalesManager', 'ManagingDirector', 'SalesAdmin'],
  quotes: ['SalesManager', 'ManagingDirector', 'SalesAdmin', 'ApplicationEngineer', 'Engineering'],
  accounts: ['SalesManager', 'ManagingDirector', 'SalesAdmin', 'Production', 'ApplicationEngineer'],
  orders: ['SalesManager', 'ManagingDirector', 'SalesAdmin', 'Production', 'Engineering'],
  search: ['SalesManager', 'ManagingDirector', 'SalesAdmin', 'Engineering', 'ApplicationEngineer', 'Production'],
};

/** Each kind of record's page. */
const recordPages = {
  leads: '/app/lead.html',
  opportunities: '/app/opportunity.html',
  quotes: '/app/quote.html',
  accounts: '/app/account.html',
  orders: '/app/order.html',
};

/**
 * A link to a record's page when the viewer may read it; its text alone when not.
 * @param {import('./session.js').Session} who @param {keyof typeof recordPages} kind @param {string} id @param {string} text
 */
export const linkTo = (who, kind, id, text) =>
  hasRole(who, ...readers[kind]) ? h('a', { href: `${recordPages[kind]}?id=${encodeURIComponent(id)}` }, text) : h('span', {}, text);

/**
 * Where the header leads, and who may go there: a link only to pages whose data the viewer's
 * roles may read or change (the API refuses the rest).
 * @type {{ href: string, label: string, roles?: string[] }[]}
 */
const destinations = [
  { href: '/app/', label: 'Pipeline', roles: readers.pipeline },
  { href: '/app/agenda.html', label: 'Agenda' },
  { href: '/app/accounts.html', label: 'Accounts', roles: readers.accounts },
  { href: '/app/opportunities.html', label: 'Opportunities', roles: readers.opportunities },
  { href: '/app/quotes.html', label: 'Quotes', roles: readers.quotes },
  { href: '/app/orders.html', label: 'Orders', roles: readers.orders },
  { href: '/app/work.html', label: 'Orders to pack and ship', roles: ['Production'] },
  { href: '/app/new-lead.html', label: 'Log a response', roles: ['SalesAdmin', 'SalesManager'] },
  { href: '/app/new-order.html', label: 'Record an order', roles: ['SalesAdmin'] },
  { href: '/app/products.html', label: 'Price list', roles: ['SalesAdmin', 'SalesManager', 'ManagingDirector'] },
  // POST /imports (Sales Admin, the MD); GET /exports/{file} (the sales side).
  { href: '/app/imports.html', label: 'Import and export', roles: ['SalesAdmin', 'ManagingDirector', 'SalesManager'] },
  // GET /reports/{name}: Marketing reads the campaign report there, the sales side all of them.
  { href: '/app/reports.html', label: 'Reports', roles: ['SalesManager', 'ManagingDirector', 'Marketing'] },
];

/** The process's codes as people say them; anything unlisted loses its hyphens. */
const words = /** @type {Record<string, string>} */ ({
  SalesManager: 'Sales Manager',
  SalesAdmin: 'Sales Admin',
  ApplicationEngineer: 'Application Engineer',
  ManagingDirector: 'Managing Director',
  'bingo-card': 'bingo card',
  'business-card': 'business card',
  'web-form': 'the web form',
  'marketing-campaign': 'a marketing campaign',
  'distributor-contact': 'a distributor',
  'se-phone-call': "a sales engineer's call",
  'product-support': 'product support',
  'prior-contact': 'an earlier contact',
  'product-brochure': 'product brochure',
  'technical-datasheet': 'technical datasheet',
  'application-notes': 'application notes',
  'case-studies': 'customer case studies',
  'price-list': 'price list',
  'qpa-preparation': 'price approval (QPA) being prepared',
  'awaiting-approval': 'waiting for price approval',
  returned: 'returned to the sales manager',
  'in-preparation': 'quote and proposal being prepared',
  'awaiting-signature': "waiting for the sales manager's signature",
  sending: 'being sent',
  sent: 'sent to the customer',
  'contract-negotiation': 'contract with the Managing Director',
  'contract-approved': 'contract approved',
  'contract-rejected': 'contract rejected',
  lapsed: 'lapsed',
  failed: 'failed',
  'prepare-qpa': 'Prepare the price approval (QPA)',
  'approve-qpa': 'Approve or reject the price',
  'prepare-quote': 'Prepare the quote',
  'engineering-assistance': 'Help with the technical proposal',
  'prepare-proposal': 'Prepare the technical proposal',
  sign: 'Review and sign the quote',
  'approve-contract': 'Negotiate and decide the contract',
  salesDirector: 'Sales Director',
  finance: 'Finance',
  managingDirector: 'Managing Director',
  'contract-review': 'Contract review',
  packing: 'Packing',
  'equipment-check': 'Equipment check',
  'corrective-action': 'Corrective action',
  deliveryCheck: "Distributor's delivery check",
  smReminder: 'Reminder to the sales manager',
  equipmentCheck: 'Is the equipment operating OK?',
  'not-applicable': 'not needed',
  'not-required': 'not needed',
  'to-pack': 'to pack',
  'with-production': 'with Production',
  'printed-and-packed': 'printed and packed',
  'proceed-with-changes': 'proceed with changes',
  'w-sales': 'W. Sales',
  sf: 'the SF website',
  standard: 'standard',
  direct: 'direct',
  'none-served-by-w-sales': 'none (served by W. Sales)',
  'sm-call': "Sales manager's call",
  'sm-visit': "Sales manager's visit",
  'ae-visit': "Application engineer's visit",
});

/** A code in plain words. @param {string | undefined} code */
export const plain = (code) => (code === undefined ? '' : (words[code] ?? code.replace(/-/g, ' ')));

/**
 * Signs the page in, draws the header, and returns who is here.
 * @returns {import('./session.js').Session}
 */
export const internalPage = () => {
  const who = requireSession();
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', signOut);
  const here = location.pathname;
  const nav = h(
    'nav',
    { 'aria-label': 'salesflow' },
    ...destinations
      .filter((d) => !d.roles || hasRole(who, ...d.roles))
      .map((d) => h('a', { href: d.href, ...(d.href === here ? { 'aria-current': 'page' } : {}) }, d.label)),
    hasRole(who, ...readers.search) ? findBox() : undefined,
    h('span', { class: 'who' }, `${who.email} (${who.roles.map(plain).join(', ')}) `, out),
  );
  document.body.prepend(h('a', { class: 'skip', href: '#main' }, 'Skip to content'), h('header', { class: 'site' }, nav));
  return who;
};

/** A record's facts as a definition list. @param {[string, string | undefined][]} rows */
export const facts = (rows) =>
  h(
    'dl',
    { class: 'facts' },
    ...rows.filter(([, value]) => value !== undefined && value !== '').flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );

/** The hyphenated codes above, wherever a stored summary spells one out ("by web-form"). */
const codesInText = new RegExp(
  `(?<![\\w-])(?:${Object.keys(words)
    .filter((code) => code.includes('-'))
    .join('|')})(?![\\w-])`,
  'g',
);

/**
 * A summary the server wrote, without the requirement ids it filed older entries under ("(R25)")
 * and with the process's codes in words ("the web form", not web-form): records already stored
 * carry them, and people do not speak in them.
 * @param {string} summary
 */
export const spoken = (summary) => summary.replace(/\s*\(R\d+(?:[-/]R?\d+)*\)/g, '').replace(codesInText, (code) => words[code] ?? code);

/** A record's timeline, oldest first. @param {{ at: string, summary: string, actor?: string }[]} entries */
export const timeline = (entries) =>
  h(
    'ol',
    { class: 'timeline' },
    ...entries.map((entry) =>
      h('li', {}, h('time', { datetime: entry.at }, when(entry.at)), spoken(entry.summary), entry.actor ? ` (${entry.actor})` : undefined),
    ),
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

/**
 * A PDF the API holds, as a link that opens it in a new tab: fetched with the viewer's token (a
 * plain link would carry none) into a blob URL. A function making one link per place it is shown;
 * undefined when the viewer may not read it or it is not there.
 * @param {string} path @param {string} text
 * @returns {Promise<(() => HTMLElement) | undefined>}
 */
export const documentLink = async (path, text) => {
  const response = await fetch(`${config.apiUrl}${path}`, { headers: { authorization: `Bearer ${session()?.token ?? ''}` } });
  if (!response.ok) return undefined;
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  return () => h('a', { href, target: '_blank', rel: 'noopener', class: 'document' }, `${text} (PDF, ${Math.ceil(blob.size / 1024)} KB)`);
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
