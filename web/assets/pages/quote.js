// @ts-check
import { $, facts, gbp, h, internalPage, loadFailed, queryParam, showNotice, when } from '../page.js';
import { api } from '../session.js';

/** Where a quote stands (R13-R19): its steps, who has them, the decisions and the signature. */
internalPage();
showNotice();
const id = queryParam('id');
const answer = await api('GET', `/quotes/${encodeURIComponent(id)}`);
if (answer.status !== 200) loadFailed(answer);
else {
  const quote = answer.body;
  $('#content').replaceChildren(
    h('h1', {}, `Quote for ${quote.customer?.company ?? 'a customer'}: ${quote.status}`),
    facts([
      ['Net', gbp(quote.totals?.netGbp)],
      ['QPA', quote.qpa?.applies ? `needed: ${quote.qpa.reasons?.join('; ')}` : 'not needed'],
      ['Document', quote.document ? `${quote.document.filename ?? 'quote'} (${quote.signature?.holds ? 'signed' : 'unsigned'})` : undefined],
      ['Requested', when(quote.createdAt)],
    ]),
    h('p', {}, h('a', { href: `/app/opportunity.html?id=${quote.opportunityId}` }, 'The opportunity')),
    h('h2', {}, 'Waiting for'),
    quote.tasks.length
      ? h('ul', {}, ...quote.tasks.map((/** @type {any} */ t) => h('li', {}, `${t.task}${t.approver ? ` (${t.approver})` : ''}: ${t.assignee}, due ${when(t.dueBy)}`)))
      : h('p', {}, 'Nobody.'),
    h('h2', {}, 'Decisions'),
    quote.decisions?.length
      ? h('ul', {}, ...quote.decisions.map((/** @type {any} */ d) => h('li', {}, `${d.task}${d.approver ? ` (${d.approver})` : ''}: ${d.decision} by ${d.by}, ${when(d.at)}${d.reason ? `: ${d.reason}` : ''}`)))
      : h('p', {}, 'None yet.'),
  );
}
