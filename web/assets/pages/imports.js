// @ts-check
import { $, formAt, h, internalPage, plain, when } from '../page.js';
import { api, config, hasRole, session } from '../session.js';

/**
 * Issue 15: Sales Admin (or the MD) uploads a CRM's CSV export, sees what it would make, confirms,
 * and watches it being made; everyone who reads records downloads them as CSV.
 */
const who = internalPage();

/**
 * What POST /imports takes (functions/imports/index.ts), checked here first so a large file is not
 * sent for nothing: 5 MiB of CSV, or 16 MiB gzipped to at most 4 MiB, which this page does.
 */
const maxBytes = 5 * 1024 * 1024;
const maxUnpackedBytes = 16 * 1024 * 1024;
const maxGzippedBytes = 4 * 1024 * 1024;
const fields = /** @type {const} */ ([
  'company',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'country',
  'city',
  'address',
  'postcode',
]);
const fieldNames = /** @type {Record<string, string>} */ ({
  company: 'Company',
  name: 'Contact name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
  country: 'Country',
  city: 'City',
  address: 'Address',
  postcode: 'Postcode',
});

/**
 * The API with a body that is not JSON, or an answer that is not JSON.
 * @param {string} method @param {string} path @param {{ body?: BodyInit, type?: string }} [options]
 */
const call = async (method, path, options = {}) => {
  const token = session()?.token;
  return fetch(`${config.apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.type ? { 'content-type': options.type } : {}) },
    body: options.body,
  });
};

/** @param {Response} response */
const answerOf = async (response) => {
  const text = await response.text();
  try {
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: response.status, body: { message: text } };
  }
};

/** @param {string} message */
const refusal = (message) => h('p', { class: 'error', role: 'alert' }, message);

/** A table of rows with a caption. @param {string} caption @param {string[]} headers @param {(string | number)[][]} rows */
const table = (caption, headers, rows) =>
  h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', {}, header)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, String(cell)))))),
  );

/** @param {{ line: number, reason: string }[]} rows @param {string} caption @param {number} total */
const lineList = (rows, caption, total) =>
  rows.length
    ? table(
        `${caption}: ${total}${total > rows.length ? ` (the first ${rows.length} shown)` : ''}`,
        ['Line', 'Why'],
        rows.map((row) => [row.line, row.reason]),
      )
    : undefined;

/** @type {File | undefined} */
let file;
/** @type {{ body: Blob, type: string } | undefined} */
let sending;

/** The file as sent: gzipped where the browser can, so a 50,000-row export fits what the API takes. @param {File} chosen */
const packed = async (chosen) => {
  if (typeof CompressionStream === 'undefined') return { body: /** @type {Blob} */ (chosen), type: 'text/csv' };
  const body = await new Response(chosen.stream().pipeThrough(new CompressionStream('gzip'))).blob();
  return { body, type: 'application/gzip' };
};
/** @type {Record<string, string>} */
let mapping = {};

/** The mapping as the person set it, for the query. */
const mappingQuery = () => (Object.keys(mapping).length ? `&mapping=${encodeURIComponent(JSON.stringify(mapping))}` : '');

/** @param {string[]} columns @param {Record<string, string>} chosen */
const mappingForm = (columns, chosen) => {
  const form = h('form', { id: 'mapping-form' });
  const rows = fields.map((field) => {
    const select = /** @type {HTMLSelectElement} */ (
      h(
        'select',
        { id: `map-${field}`, name: field },
        h('option', { value: '' }, '(not imported)'),
        ...columns.map((column) => h('option', { value: column }, column)),
      )
    );
    select.value = chosen[field] ?? '';
    return h('div', { class: 'field' }, h('label', { for: `map-${field}` }, fieldNames[field] ?? field), select);
  });
  form.append(
    h('fieldset', {}, h('legend', {}, 'Which column holds what'), h('div', { class: 'row' }, ...rows)),
    h('p', {}, h('button', { type: 'submit' }, 'Check again with these columns')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    mapping = Object.fromEntries(
      fields.map((field) => [field, /** @type {HTMLSelectElement} */ (form.querySelector(`#map-${field}`)).value]),
    );
    void preview();
  });
  return form;
};

const preview = async () => {
  if (!file) return;
  const area = $('#preview');
  $('#progress').replaceChildren();
  area.replaceChildren(h('p', {}, 'Checking the file…'));
  if (!sending) return;
  const answer = await answerOf(await call('POST', `/imports?dryRun=true${mappingQuery()}`, sending));
  if (answer.status !== 200) {
    area.replaceChildren(
      refusal(answer.body?.message ?? `The file was refused (${answer.status})`),
      ...(answer.body?.errors ?? []).map((/** @type {any} */ e) => refusal(e.message)),
    );
    return;
  }
  const p = answer.body;
  const go = h(
    'button',
    { type: 'button', id: 'confirm', class: 'button' },
    `Import ${p.counts.accounts} accounts and ${p.counts.leads} leads`,
  );
  go.addEventListener('click', () => void confirm(/** @type {HTMLButtonElement} */ (go)));
  area.replaceChildren(
    h('h3', {}, 'What the file would make'),
    h(
      'p',
      { id: 'preview-summary' },
      `${p.rows} rows, fields separated by ${p.separator}: ${p.counts.accounts} accounts and ${p.counts.leads} leads to make, ${p.counts.duplicates} duplicates skipped, ${p.counts.badRows} rows that cannot be imported.`,
    ),
    ...(p.lookups.done < p.lookups.of
      ? [
          h(
            'p',
            { class: 'notice' },
            `A large file: ${p.lookups.done} of ${p.lookups.of} look-ups for what salesflow has already were done in the time a preview has, so fewer duplicates may show here. The import checks every record as it makes it, and makes none twice.`,
          ),
        ]
      : []),
    mappingForm(p.columns, p.mapping),
    p.accounts.length
      ? table(
          `Accounts (the first ${Math.min(20, p.accounts.length)} of ${p.counts.accounts})`,
          ['Company', 'Country', 'City', 'Owner', 'Contacts', 'Lines'],
          p.accounts
            .slice(0, 20)
            .map((/** @type {any} */ a) => [a.name, a.country ?? '', a.city ?? '', a.owner, a.contacts, a.lines.slice(0, 5).join(', ')]),
        )
      : h('p', {}, 'No new accounts.'),
    p.leads.length
      ? table(
          `Leads (the first ${Math.min(20, p.leads.length)} of ${p.counts.leads})`,
          ['Line', 'Name', 'E-mail', 'Company', 'Country', 'Owner'],
          p.leads.slice(0, 20).map((/** @type {any} */ l) => [l.line, l.name, l.email, l.company, l.country ?? '', l.owner]),
        )
      : h('p', {}, 'No new leads.'),
    lineList(p.duplicates, 'Duplicates, skipped', p.counts.duplicates) ?? h('p', {}, 'No duplicates.'),
    lineList(p.badRows, 'Rows that cannot be imported', p.counts.badRows) ?? h('p', {}, 'Every row can be imported.'),
    h('p', {}, go),
  );
};

/** @param {HTMLButtonElement} button */
const confirm = async (button) => {
  if (!file) return;
  button.disabled = true;
  if (!sending) return;
  const answer = await answerOf(
    await call('POST', `/imports?fileName=${encodeURIComponent(file.name.slice(0, 200))}${mappingQuery()}`, sending),
  );
  if (answer.status !== 202) {
    $('#progress').replaceChildren(refusal(answer.body?.message ?? `The import was refused (${answer.status})`));
    button.disabled = false;
    return;
  }
  await follow(answer.body.id);
};

/** Shows the import's progress until it is done, then its report. @param {string} id */
const follow = async (id) => {
  const area = $('#progress');
  for (;;) {
    const answer = await api('GET', `/imports/${encodeURIComponent(id)}`);
    if (answer.status !== 200) {
      area.replaceChildren(refusal(answer.body?.message ?? `Could not read the import (${answer.status})`));
      return;
    }
    const job = answer.body;
    const bar = h('progress', { id: 'import-progress', max: '100', value: String(job.progress.percent), 'aria-label': 'Import progress' });
    const counts = `${job.counts.created} records made, ${job.counts.skipped} skipped as duplicates, ${job.counts.failed} failed`;
    if (job.status !== 'done') {
      area.replaceChildren(
        h('h3', {}, 'Importing'),
        bar,
        h('p', {}, `${job.progress.percent}% (part ${job.progress.chunksDone} of ${job.progress.chunks}): ${counts}.`),
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    area.replaceChildren(
      h('h3', { id: 'report-title' }, 'Import done'),
      bar,
      h(
        'p',
        { id: 'report-summary', class: 'notice' },
        `${job.fileName ? `${job.fileName}: ` : ''}${counts}. Finished ${when(job.finishedAt)}; nobody was emailed.`,
      ),
      lineList(job.skipped, 'Skipped as duplicates', job.counts.skipped) ?? h('p', {}, 'Nothing was skipped.'),
      lineList(job.failed, 'Failed rows', job.counts.failed) ?? h('p', {}, 'No row failed.'),
    );
    return;
  }
};

if (hasRole(who, 'SalesAdmin', 'ManagingDirector')) {
  $('#import').hidden = false;
  const form = formAt('#upload-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($('#file'));
    file = input.files?.[0];
    mapping = {};
    if (!file) return;
    const chosen = file;
    const tooLarge = (/** @type {string} */ why) => $('#preview').replaceChildren(refusal(`${why} Split it and import each part.`));
    if (chosen.size > (typeof CompressionStream === 'undefined' ? maxBytes : maxUnpackedBytes)) {
      tooLarge(
        `The file is ${(chosen.size / 1024 / 1024).toFixed(1)} MiB: files up to ${typeof CompressionStream === 'undefined' ? 5 : 16} MiB are taken.`,
      );
      return;
    }
    void packed(chosen).then((packedFile) => {
      if (packedFile.type === 'application/gzip' && packedFile.body.size > maxGzippedBytes) {
        tooLarge(`The file packs to ${(packedFile.body.size / 1024 / 1024).toFixed(1)} MiB: up to 4 MiB packed is taken.`);
        return;
      }
      sending = packedFile;
      void preview();
    });
  });
}

/** GET /exports/{kind}.csv, saved as the file the API names. */
const kinds = /** @type {const} */ (['leads', 'opportunities', 'accounts', 'orders', 'quotes']);
if (hasRole(who, 'SalesManager', 'ManagingDirector', 'SalesAdmin')) {
  $('#exports').replaceChildren(
    ...kinds.map((kind) => {
      const link = h(
        'a',
        { href: `${config.apiUrl}/exports/${kind}.csv`, 'data-kind': kind, download: `${kind}.csv` },
        `${plain(kind).replace(/^./, (c) => c.toUpperCase())} (CSV)`,
      );
      link.addEventListener('click', async (event) => {
        // The link needs the bearer token: fetched here, then saved from memory.
        event.preventDefault();
        $('#export-status').textContent = `Preparing ${kind}…`;
        const response = await call('GET', `/exports/${kind}.csv`);
        if (!response.ok) {
          $('#export-status').textContent = (await answerOf(response)).body?.message ?? `Could not export (${response.status})`;
          return;
        }
        const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${kind}.csv`;
        const url = URL.createObjectURL(await response.blob());
        const save = h('a', { href: url, download: name });
        document.body.append(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        $('#export-status').textContent = `${name}: ${response.headers.get('x-rows') ?? 'its'} rows saved.`;
      });
      return h('li', {}, link);
    }),
  );
} else {
  $('#export').hidden = true;
}
