// @ts-check
import { enhance } from './forms.js';
import { $, h, reloadWith } from './page.js';
import { api, hasRole } from './session.js';

/**
 * The controls for changing a record after it was made and deciding about it: edit, reassign,
 * disqualify, merge, close, add a task. Each is a form folded under its own heading, shown only to
 * whoever the API lets use it; the server checks everything again.
 */

/** @typedef {import('./session.js').Session} Session */

/**
 * A folded form: its summary says what it does; opened, it shows the fields.
 * @param {string} id @param {string} title @param {string} markup our own constant markup, values set afterwards
 */
const folded = (id, title, markup) => {
  const details = h('details', { class: 'decision', id }, h('summary', {}, title));
  const form = document.createElement('form');
  form.id = `${id}-form`;
  form.innerHTML = markup; // constant markup of ours; what people typed goes in through .value only
  details.append(form);
  return { details, form };
};

/**
 * Wires a form to the API: `send` makes the request from the form's body; a success reloads the
 * page with a notice.
 * @param {HTMLFormElement} form @param {(body: Record<string, any>) => Promise<{ status: number, body: any }>} send @param {string} notice
 */
const wire = (form, send, notice) => enhance(form, send, () => reloadWith(notice));

/** @param {HTMLFormElement} form @param {Record<string, string | number | undefined>} values */
const fill = (form, values) => {
  for (const [name, value] of Object.entries(values)) {
    const control = /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));
    if (control && value !== undefined && value !== null) control.value = String(value);
  }
};

const taskMarkup = `
  <div class="row">
    <div class="field"><label for="task-title">What to do</label><input id="task-title" name="title" type="text" required maxlength="200"></div>
    <div class="field"><label for="task-due">Due</label><input id="task-due" name="dueAt" type="datetime-local" required data-type="datetime"></div>
  </div>
  <p><button type="submit">Add to my agenda</button></p>`;

/**
 * An ad-hoc task on this record, on the viewer's agenda and in their digest until done.
 * @param {'lead' | 'opportunity' | 'account'} kind @param {string} id
 */
const taskSection = (kind, id) => {
  const { details, form } = folded('add-task', 'Add a task (call back, send a sample…)', taskMarkup);
  wire(form, (body) => api('POST', '/tasks', { body: { ...body, subject: { kind, id } } }), 'Task added to your agenda');
  return details;
};

const reassignMarkup = `
  <div class="row">
    <div class="field"><label for="reassign-owner">New owner <span class="hint">A sales manager's email</span></label><input id="reassign-owner" name="owner" type="email" required maxlength="254"></div>
    <div class="field"><label for="reassign-reason">Why <span class="hint">Optional; both sales managers read it</span></label><input id="reassign-reason" name="reason" type="text" maxlength="500"></div>
  </div>
  <p><button type="submit">Reassign</button></p>`;

/**
 * Whose the record is: the owner's managers (the sales director) and the MD decide; the owner
 * alone does not (the API refuses them too).
 * @param {Session} who @param {string} owner @param {string} path
 */
const reassignSection = (who, owner, path) => {
  const decides = hasRole(who, 'ManagingDirector') || (hasRole(who, 'SalesManager') && who.email.toLowerCase() !== owner.toLowerCase());
  if (!decides) return undefined;
  const { details, form } = folded('reassign', 'Reassign to another sales manager', reassignMarkup);
  wire(form, (body) => api('POST', `${path}/reassignment`, { body }), 'Reassigned; both sales managers are told by email');
  return details;
};

/** Where the controls go: after the record, before the activity form. @param {(HTMLElement | undefined)[]} sections */
const place = (sections) => {
  const shown = sections.filter((s) => s !== undefined);
  if (!shown.length) return;
  $('#content').after(
    h(
      'section',
      { id: 'decisions', 'aria-labelledby': 'decisions-title' },
      h('h2', { id: 'decisions-title' }, 'Change or decide'),
      ...shown,
    ),
  );
};

const leadEditMarkup = `
  <div class="row">
    <div class="field"><label for="edit-name">Name</label><input id="edit-name" name="contact.name" type="text" required maxlength="200" pattern="[^<>]*" data-pattern="must not contain &lt; or &gt;"></div>
    <div class="field"><label for="edit-email">Email</label><input id="edit-email" name="contact.email" type="email" required maxlength="254"></div>
  </div>
  <div class="row">
    <div class="field"><label for="edit-company">Company</label><input id="edit-company" name="contact.company" type="text" required maxlength="200" pattern="[^<>]*" data-pattern="must not contain &lt; or &gt;"></div>
    <div class="field"><label for="edit-phone">Phone <span class="hint">Optional</span></label><input id="edit-phone" name="contact.phone" type="tel" maxlength="40"></div>
    <div class="field"><label for="edit-country">Country <span class="hint">Two letters, such as GB</span></label><input id="edit-country" name="contact.country" type="text" maxlength="2" pattern="[A-Za-z]{2}" data-pattern="must be two letters, such as GB"></div>
  </div>
  <p><button type="submit">Save the changes</button></p>`;

/**
 * The lead page's controls. The SM who owns it, their managers and the MD edit, disqualify and
 * merge; its possible duplicates are named above them.
 * @param {Session} who @param {any} lead
 */
export const leadDecisions = (who, lead) => {
  const path = `/leads/${lead.id}`;
  const acts = hasRole(who, 'SalesManager', 'ManagingDirector');
  if (lead.mergedInto) {
    /** @type {HTMLElement} */ ($('#content h1')).after(
      h(
        'p',
        { class: 'notice' },
        'Merged into ',
        h('a', { href: `/app/lead.html?id=${lead.mergedInto}` }, 'another lead'),
        ': its history is read there.',
      ),
    );
  }
  const duplicates = (lead.possibleDuplicates ?? []).filter((/** @type {any} */ d) => !(lead.mergedFrom ?? []).includes(d.id));
  if (duplicates.length && lead.status === 'suspect') {
    /** @type {HTMLElement} */ ($('#content h1')).after(
      h(
        'p',
        { class: 'notice', id: 'duplicates' },
        'Possible duplicate of ',
        ...duplicates.flatMap((/** @type {any} */ d, /** @type {number} */ i) => [
          i ? '; ' : '',
          h('a', { href: `/app/${d.kind}.html?id=${d.id}` }, `${d.kind === 'lead' ? 'the lead' : 'the account'} ${d.name}`),
          ` (same ${d.match === 'email' ? 'email address' : 'company'})`,
        ]),
        '.',
      ),
    );
  }
  if (!acts || lead.status === 'merged') return;
  const open = lead.status === 'suspect';

  const edit = folded('edit-lead', 'Edit contact details', leadEditMarkup);
  fill(edit.form, {
    'contact.name': lead.contact.name,
    'contact.email': lead.contact.email,
    'contact.company': lead.contact.company,
    'contact.phone': lead.contact.phone,
    'contact.country': lead.contact.country,
  });
  wire(edit.form, (body) => api('PATCH', path, { body, ifMatch: lead.version }), 'Contact details saved');

  const disqualify = open
    ? folded(
        'disqualify',
        'Disqualify',
        `<div class="field"><label for="disqualify-reason">Why it is no lead</label><textarea id="disqualify-reason" name="reason" required maxlength="1000"></textarea></div>
         <p><button type="submit">Disqualify</button></p>`,
      )
    : undefined;
  if (disqualify) wire(disqualify.form, (body) => api('POST', `${path}/disqualify`, { body }), 'Disqualified');

  const leads = duplicates.filter((/** @type {any} */ d) => d.kind === 'lead');
  const merge = open
    ? folded(
        'merge',
        'Merge into another lead',
        `<div class="field"><label for="merge-into">The lead to keep <span class="hint">This lead's timeline and emails are read there from now on</span></label>
           <select id="merge-into" name="into" required><option value="">Choose…</option></select></div>
         <div class="field"><label for="merge-other">Or its id <span class="hint">From its address, after ?id=</span></label><input id="merge-other" name="other" type="text" maxlength="36"></div>
         <p><button type="submit">Merge</button></p>`,
      )
    : undefined;
  if (merge) {
    const select = /** @type {HTMLSelectElement} */ (merge.form.elements.namedItem('into'));
    for (const d of leads)
      select.append(h('option', { value: d.id }, `${d.name} (same ${d.match === 'email' ? 'email address' : 'company'})`));
    // A lead not named as a duplicate is merged by its id; then the choice may stay empty.
    const other = /** @type {HTMLInputElement} */ (merge.form.elements.namedItem('other'));
    other.addEventListener('input', () => (select.required = !other.value.trim()));
    wire(merge.form, ({ into, other: typed }) => api('POST', `${path}/merge`, { body: { into: typed || into } }), 'Merged');
  }

  place([edit.details, reassignSection(who, lead.owner, path), disqualify?.details, merge?.details, taskSection('lead', lead.id)]);
};

const closeMarkup = `
  <div class="row">
    <div class="field"><label for="close-outcome">Outcome</label>
      <select id="close-outcome" name="outcome" required><option value="lost">Lost</option><option value="won">Won</option></select></div>
    <div class="field"><label for="close-competitor">Who won it <span class="hint">When lost, if known</span></label><input id="close-competitor" name="competitor" type="text" maxlength="200" pattern="[^<>]*" data-pattern="must not contain &lt; or &gt;"></div>
  </div>
  <div class="field"><label for="close-reason">Why</label><textarea id="close-reason" name="reason" required maxlength="1000"></textarea></div>
  <p><button type="submit">Close the opportunity</button></p>`;

const forecastMarkup = `
  <div class="row">
    <div class="field"><label for="edit-close-on">Expected to close on</label><input id="edit-close-on" name="expectedCloseOn" type="date"></div>
    <div class="field"><label for="edit-probability">Probability (%)</label><input id="edit-probability" name="probability" type="number" min="0" max="100" step="1" data-type="number"></div>
    <div class="field"><label for="edit-value">Estimated value (£)</label><input id="edit-value" name="qualification.estimatedValueGbp" type="number" min="0" step="any" data-type="number"></div>
  </div>
  <p><button type="submit">Save the forecast</button></p>`;

/** Quote statuses after which the customer will not buy on that quote. */
const deadQuotes = ['lapsed', 'contract-rejected'];

/**
 * The opportunity page's controls: the forecast, whose it is, won or lost. A lapsed or rejected
 * quote offers to close it as lost.
 * @param {Session} who @param {any} opp
 */
export const opportunityDecisions = (who, opp) => {
  if (opp.closed) {
    /** @type {HTMLElement} */ ($('#content h1')).after(
      h(
        'p',
        { class: 'notice', id: 'closed' },
        `Closed as ${opp.closed.outcome}: ${opp.closed.reason}${opp.closed.competitor ? ` (to ${opp.closed.competitor})` : ''}.`,
      ),
    );
  }
  if (!hasRole(who, 'SalesManager', 'ManagingDirector')) return;
  const path = `/opportunities/${opp.id}`;
  const open = opp.status === 'prospect';
  const forecast = open ? folded('forecast', 'Forecast: expected close date and probability', forecastMarkup) : undefined;
  if (forecast) {
    fill(forecast.form, {
      expectedCloseOn: opp.expectedCloseOn,
      probability: opp.probability,
      'qualification.estimatedValueGbp': opp.qualification.estimatedValueGbp,
    });
    wire(forecast.form, (body) => api('PATCH', path, { body, ifMatch: opp.version }), 'Forecast saved');
  }
  const close = open ? folded('close', 'Close as won or lost', closeMarkup) : undefined;
  if (close) wire(close.form, (body) => api('POST', `${path}/close`, { body }), 'Opportunity closed');
  const dead = open && opp.quotes.length && deadQuotes.includes(opp.quotes.at(-1).status) ? opp.quotes.at(-1) : undefined;
  if (dead && close) {
    // The newest quote lapsed or its contract was rejected: most likely lost; the SM says why.
    const offer = h('button', { type: 'button', id: 'offer-close-lost' }, 'Close as lost');
    offer.addEventListener('click', () => {
      /** @type {HTMLDetailsElement} */ (close.details).open = true;
      fill(close.form, { outcome: 'lost' });
      /** @type {HTMLElement} */ (close.form.querySelector('textarea')).focus();
    });
    /** @type {HTMLElement} */ ($('#content h1')).after(
      h('p', { class: 'notice', id: 'quote-ended' }, `The last quote ${dead.status === 'lapsed' ? 'lapsed' : 'was rejected'}. `, offer),
    );
  }
  place([forecast?.details, close?.details, reassignSection(who, opp.owner, path), taskSection('opportunity', opp.id)]);
};

/**
 * The account page's controls: its name and contacts, whose it is, a task.
 * @param {Session} who @param {any} account
 */
export const accountDecisions = (who, account) => {
  const path = `/accounts/${account.id}`;
  const sections = [];
  if (hasRole(who, 'SalesManager', 'ManagingDirector', 'SalesAdmin')) {
    const rows = [...account.contacts, {}]
      .map(
        (/** @type {any} */ _c, /** @type {number} */ i) => `
      <div class="row">
        <div class="field"><label for="contact-${i}-name">Name</label><input id="contact-${i}-name" name="contacts.${i}.name" type="text" maxlength="200" pattern="[^<>]*" data-pattern="must not contain &lt; or &gt;"></div>
        <div class="field"><label for="contact-${i}-email">Email</label><input id="contact-${i}-email" name="contacts.${i}.email" type="email" maxlength="254"></div>
        <div class="field"><label for="contact-${i}-phone">Phone <span class="hint">Optional</span></label><input id="contact-${i}-phone" name="contacts.${i}.phone" type="tel" maxlength="40"></div>
      </div>`,
      )
      .join('');
    const edit = folded(
      'edit-account',
      'Edit the name and contacts',
      `<div class="field"><label for="edit-account-name">Name</label><input id="edit-account-name" name="name" type="text" required maxlength="200" pattern="[^<>]*" data-pattern="must not contain &lt; or &gt;"></div>
       <fieldset><legend>Contacts <span class="hint">Clear a row to remove that contact; the last row adds one</span></legend>${rows}</fieldset>
       <p><button type="submit">Save the changes</button></p>`,
    );
    fill(edit.form, { name: account.name });
    for (const [i, /** @type {any} */ c] of account.contacts.entries()) {
      fill(edit.form, { [`contacts.${i}.name`]: c.name, [`contacts.${i}.email`]: c.email, [`contacts.${i}.phone`]: c.phone });
    }
    wire(edit.form, (body) => api('PATCH', path, { body, ifMatch: account.version }), 'Account saved');
    sections.push(edit.details);
  }
  sections.push(reassignSection(who, account.ownerEmail, path));
  if (hasRole(who, 'SalesManager', 'ManagingDirector', 'SalesAdmin', 'ApplicationEngineer'))
    sections.push(taskSection('account', account.id));
  place(sections);
};
