// @ts-check
import { facts, gbp, h, recordPage, when, $ } from '../page.js';

/** Where a quote stands (R13-R19): its steps, who has them, the decisions and the signature. */
const page = await recordPage('quotes');
if (page) {
  const { record: quote } = page;
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
