// @ts-check
import { $, h, internalPage, loadFailed, reloadWith, spoken, when } from '../page.js';
import { api } from '../session.js';

/** The signed-in person's agenda (GET /agenda), most overdue first. */
internalPage();
const pages = {
  order: '/app/order.html',
  quote: '/app/quote.html',
  opportunity: '/app/opportunity.html',
  account: '/app/account.html',
  lead: '/app/lead.html',
};

/** A task of one's own closes here; the process's own steps close where they are done. @param {any} item */
const doneButton = (item) => {
  if (!item.kind.startsWith('task:')) return undefined;
  const button = h('button', { type: 'button', class: 'link' }, 'Done');
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    const answer = await api('POST', `/tasks/${item.kind.slice('task:'.length)}/done`);
    if (answer.status === 200) reloadWith('Task done');
    else loadFailed(answer);
  });
  return button;
};
const answer = await api('GET', '/agenda');
if (answer.status !== 200) loadFailed(answer);
else if (!answer.body.items.length) $('#content').replaceChildren(h('p', {}, 'Nothing open. Well done.'));
else {
  $('#content').replaceChildren(
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Due'), h('th', {}, 'What'))),
      h(
        'tbody',
        {},
        ...answer.body.items.map((/** @type {any} */ item) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              when(item.dueAt),
              item.overdueByDays ? h('span', { class: 'overdue' }, ` ${item.overdueByDays} days overdue`) : undefined,
            ),
            h(
              'td',
              {},
              h(
                'a',
                { href: `${pages[/** @type {keyof typeof pages} */ (item.subject.kind)] ?? '/app/'}?id=${item.subject.id}` },
                spoken(item.summary),
              ),
              ' ',
              doneButton(item),
            ),
          ),
        ),
      ),
    ),
  );
}
