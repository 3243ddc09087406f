// @ts-check
import { $, h, internalPage, loadFailed } from './page.js';
import { api } from './session.js';

/**
 * A list page: its filter form is a plain GET form, so the filters live in the address (a link or
 * the back button keeps them); the page asks the list route with them and shows one page, with a
 * link to the next one carrying the API's opaque cursor.
 */

/**
 * @param {{ path: string, key: string, params: string[], caption: string, empty: string,
 *   columns: { label: string, cell: (row: any, who: import('./session.js').Session) => Node | string }[] }} list
 */
export const listPage = async (list) => {
  const who = internalPage();
  const here = new URLSearchParams(location.search);
  const form = /** @type {HTMLFormElement} */ ($('#filters'));
  // The form shows the filters in force.
  for (const name of list.params) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement | null} */ (form.elements.namedItem(name));
    if (field && here.has(name)) field.value = here.get(name) ?? '';
  }
  const asked = new URLSearchParams();
  for (const name of [...list.params, 'limit', 'cursor']) {
    const value = here.get(name)?.trim();
    if (value) asked.set(name, value);
  }
  const answer = await api('GET', `${list.path}${asked.size ? `?${asked}` : ''}`);
  if (answer.status !== 200) {
    loadFailed(answer);
    return;
  }
  /** @type {any[]} */
  const rows = answer.body[list.key];
  const next = new URLSearchParams(asked);
  if (answer.body.nextCursor) next.set('cursor', answer.body.nextCursor);
  $('#content').replaceChildren(
    rows.length
      ? h(
          'table',
          {},
          h('caption', {}, `${list.caption}${here.has('cursor') ? ' (continued)' : ''}`),
          h('thead', {}, h('tr', {}, ...list.columns.map((column) => h('th', { scope: 'col' }, column.label)))),
          h('tbody', {}, ...rows.map((row) => h('tr', {}, ...list.columns.map((column) => h('td', {}, column.cell(row, who)))))),
        )
      : h('p', {}, list.empty),
    answer.body.nextCursor
      ? h('p', {}, h('a', { href: `?${next}`, rel: 'next' }, 'Next page'))
      : h('p', { class: 'hint' }, 'End of the list.'),
  );
};
