// @ts-check
import { $, facts, formAt, h, internalPage, loadFailed, postForm, queryParam, reloadWith, showNotice, timeline, when } from '../page.js';
import { api } from '../session.js';

/** An account (R6-R8): its calls and visits, when due; logging one sets the next. */
const who = internalPage();
showNotice();
const id = queryParam('id');
const answer = await api('GET', `/accounts/${encodeURIComponent(id)}`);
if (answer.status !== 200) loadFailed(answer);
else {
  const account = answer.body;
  $('#content').replaceChildren(
    h('h1', {}, account.name),
    facts([
      ['Kind', `${account.kind}${account.size ? ` (${account.size})` : ''}`],
      ['Owner', account.ownerEmail],
      ['Served by', account.servedBy],
      ['Order channel', account.orderChannel],
    ]),
    h('h2', {}, 'Calls and visits due'),
    account.due.length
      ? h('ul', {}, ...account.due.map((/** @type {any} */ d) => h('li', {}, `${d.kind} by ${d.assignee}: ${when(d.dueAt)}`, d.overdueByDays ? h('span', { class: 'overdue' }, ` ${d.overdueByDays} days overdue`) : undefined)))
      : h('p', {}, 'None scheduled.'),
    h('h2', {}, 'Timeline'),
    timeline(account.timeline),
  );
  postForm(formAt('#activity-form'), who, [], `/accounts/${id}/activities`, () => reloadWith('Activity logged'));
}
